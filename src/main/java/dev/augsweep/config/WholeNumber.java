package dev.augsweep.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * Reads a whole-number setting exactly. Typesafe Config's getInt truncates (epochs = 1.5 trained one epoch) and calls
 * a number beyond int "not a whole number"; here a fraction and a value out of range are each a problem that says
 * so, with the fix, on the command line, in a job file and in a search alike.
 */
public final class WholeNumber {
    private WholeNumber() {
    }

    /**
     * The value of {@code key} in {@code c}; null where it is not a whole number in int's range, after adding a
     * problem that names the key (as {@code name} shows it, and {@code where} it is when not null), the value and the
     * fix to {@code problems}.
     */
    public static Integer read(Config c, String key, String name, String where, List<String> problems) {
        String in = where == null ? "" : " in " + where;
        if (!c.hasPath(key)) {
            problems.add(name + " is missing" + in + "; expected a whole number");
            return null;
        }
        try {
            return parse(name, where, c.getValue(key).unwrapped(), problems);
        } catch (ConfigException e) {
            problems.add(name + in + " is not a whole number: " + e.getMessage());
            return null;
        }
    }

    /** As {@link #read}, for a value already read (a number, or text typed on the command line). */
    public static Integer parse(String name, String where, Object raw, List<String> problems) {
        String text = String.valueOf(raw).trim();
        String in = where == null ? "" : " in " + where;
        BigDecimal d;
        try {
            d = new BigDecimal(text);
        } catch (NumberFormatException e) {
            problems.add(name + " = '" + text + "'" + in + " is not a whole number");
            return null;
        }
        if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
            problems.add(name + " = " + text + in + " is not a whole number; e.g. " + name + " = "
                    + d.setScale(0, RoundingMode.HALF_EVEN).toPlainString());
            return null;
        }
        if (d.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            problems.add(name + " = " + text + in + " is too large (at most " + Integer.MAX_VALUE + ")");
            return null;
        }
        if (d.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) < 0) {
            problems.add(name + " = " + text + in + " is too small (at least " + Integer.MIN_VALUE + ")");
            return null;
        }
        return d.intValueExact();
    }
}
