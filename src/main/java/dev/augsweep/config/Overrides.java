package dev.augsweep.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.List;

/** Command-line {@code key=value} overrides, kept as strings so "1/8" or "abcde" arrive as typed. */
public final class Overrides {
    private Overrides() {
    }

    /** Lists and objects ("[0.5, 0.5, 0.5]") are parsed as HOCON; everything else stays the string typed. */
    private static ConfigValue value(String text, String arg) {
        if (text.startsWith("[") || text.startsWith("{")) {
            return ConfigFactory.parseString("v = " + text).getValue("v");
        }
        return ConfigValueFactory.fromAnyRef(text, "command line " + arg);
    }

    public static Config parse(List<String> args) {
        List<String> problems = new ArrayList<>();
        Config result = ConfigFactory.empty();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                problems.add("'" + arg + "' is not key=value (e.g. epochs=10)");
                continue;
            }
            String key = arg.substring(0, eq).trim();
            String value = arg.substring(eq + 1).trim();
            try {
                result = result.withValue(key, value(value, arg));
            } catch (ConfigException.BadPath e) {
                problems.add("'" + key + "' is not a valid key in '" + arg + "'");
            } catch (ConfigException e) {
                problems.add("'" + arg + "' has a value that is not HOCON: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException("command line", problems);
        }
        return result;
    }
}
