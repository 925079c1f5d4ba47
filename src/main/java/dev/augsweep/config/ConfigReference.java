package dev.augsweep.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The configuration reference (docs/configuration.md), generated from the defaults' own text so that it cannot
 * drift from them: every key with its default, the section of the file it is in, and what its comments say (the
 * comment on its line and the comment block above it, where the paper's source of a value is given).
 */
public final class ConfigReference {
    private static final String SECTION = "# ---";

    private ConfigReference() {
    }

    /** One key of the defaults. */
    public record Entry(String key, String value, String section, String comment) {
    }

    /** The entries of a HOCON text, in the order of the file. */
    public static List<Entry> entries(String text) {
        Config parsed = ConfigFactory.parseString(text, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF));
        String[] lines = text.split("\n", -1);
        List<Map.Entry<String, ConfigValue>> leaves = new ArrayList<>(parsed.entrySet());
        leaves.sort(Comparator.comparingInt((Map.Entry<String, ConfigValue> e) -> e.getValue().origin().lineNumber())
                .thenComparing(Map.Entry::getKey));
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> leaf : leaves) {
            int line = leaf.getValue().origin().lineNumber() - 1;
            entries.add(new Entry(leaf.getKey(), leaf.getValue().render(ConfigRenderOptions.concise()),
                    section(lines, line), comment(lines, line)));
        }
        return entries;
    }

    /** The reference as Markdown: per section of the file, its opening comment and a table of its keys. */
    public static String markdown(String text) {
        StringBuilder md = new StringBuilder("""
                # Configuration reference

                Generated from `conf/defaults.conf` by `./augsweep config --markdown > docs/configuration.md`; a test
                fails when the two disagree. Every trial starts from these defaults (the paper's protocol); a job's
                `trial { }` block, `--config FILE` and `key=value` overrides go on top, and unknown keys are errors.
                Environment variables named in a value (`${?AUGSWEEP_DATA}`) override it where set.
                """);
        String[] lines = text.split("\n", -1);
        String section = null;
        for (Entry e : entries(text)) {
            if (!e.section().equals(section)) {
                section = e.section();
                md.append("\n## ").append(section.isEmpty() ? "Other keys"
                        : Character.toUpperCase(section.charAt(0)) + section.substring(1)).append("\n\n");
                String intro = sectionComment(lines, section);
                if (!intro.isEmpty()) {
                    md.append(cell(intro)).append("\n\n");
                }
                md.append("| key | default | what it is |\n| --- | --- | --- |\n");
            }
            md.append("| `").append(e.key()).append("` | `").append(cell(e.value())).append("` | ")
                    .append(cell(e.comment())).append(" |\n");
        }
        return md.toString();
    }

    /** The comment lines right under a section's "# --- title ---" line, before its first key. */
    private static String sectionComment(String[] lines, String section) {
        List<String> comment = new ArrayList<>();
        boolean in = false;
        for (String line : lines) {
            String l = line.trim();
            if (l.startsWith(SECTION)) {
                in = title(l).equals(section);
            } else if (in && l.startsWith("#")) {
                comment.add(l.substring(1).trim());
            } else if (in && !l.isEmpty()) {
                break;
            }
        }
        return String.join(" ", comment);
    }

    /** The title of the "# --- title ---" line above {@code line}, or empty. */
    private static String section(String[] lines, int line) {
        for (int i = line; i >= 0; i--) {
            String l = lines[i].trim();
            if (l.startsWith(SECTION)) {
                return title(l);
            }
        }
        return "";
    }

    private static String title(String sectionLine) {
        return sectionLine.substring(SECTION.length()).replaceAll("-{3,}.*$", "").trim();
    }

    /** The comment block right above the line (up to a blank line) and the comment on the line. */
    private static String comment(String[] lines, int line) {
        List<String> above = new ArrayList<>();
        for (int i = line - 1; i >= 0; i--) {
            String l = lines[i].trim();
            if (l.startsWith(SECTION)) {
                above.clear(); // a comment right under a section's title introduces the section (sectionComment)
                break;
            }
            if (!l.startsWith("#")) {
                break;
            }
            above.add(0, l.substring(1).trim());
        }
        String trailing = trailingComment(lines[line]);
        if (trailing != null) {
            above.add(trailing);
        }
        return String.join(" ", above);
    }

    /** The "# ..." after a value on its line, outside quotes; null without one. */
    private static String trailingComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '#' && !quoted && !line.substring(0, i).isBlank()) {
                return line.substring(i + 1).trim();
            }
        }
        return null;
    }

    private static String cell(String s) {
        return s.replace("<", "&lt;").replace("|", "\\|").replace("\n", " ");
    }
}
