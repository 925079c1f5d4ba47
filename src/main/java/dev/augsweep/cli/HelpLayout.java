package dev.augsweep.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IHelpSectionRenderer;

/**
 * Help text wrapped at spaces only. picocli wraps with java.text's line BreakIterator, which breaks after every dot:
 * "JOB.conf", "./results" and "spark.task.cpus" came out split over two lines. So picocli lays the help out without
 * a width limit, and each section is wrapped here at the words: a table row's continuation lines start under its
 * description, a synopsis's under its first argument.
 */
final class HelpLayout {
    static final String WIDTH = "picocli.usage.width";
    /** picocli's own width: nothing of ours is this long, so it wraps nothing. */
    private static final int UNWRAPPED = 10_000;
    /** A table row: its label (option, parameter or command), two spaces or more, its description. */
    private static final Pattern ROW = Pattern.compile("^( +\\S.*?\\S?)( {2,})(\\S.*)$");
    /** A synopsis's first option or argument, after the command's name (lower-case words). */
    private static final Pattern FIRST_ARGUMENT = Pattern.compile("(?<= )[\\[<A-Z-]");

    private HelpLayout() {
    }

    /** Wraps every section of {@code cl}'s and its subcommands' help at {@link #width()}. */
    static CommandLine apply(CommandLine cl) {
        cl.setUsageHelpWidth(UNWRAPPED);
        Map<String, IHelpSectionRenderer> sections = cl.getHelpSectionMap();
        IHelpSectionRenderer heading = sections.get(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING);
        sections.replaceAll((key, renderer) -> key.equals(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS)
                // The synopsis follows its heading ("Usage: ") on the same line.
                ? help -> synopsis(whole(renderer, help), heading == null ? 0 : whole(heading, help).length(),
                        width())
                : help -> wrap(whole(renderer, help), width()));
        cl.setHelpSectionMap(sections);
        cl.getSubcommands().values().forEach(HelpLayout::apply);
        return cl;
    }

    /** picocli's own setting, picocli.usage.width, else 80 columns. */
    static int width() {
        return Math.max(40, Integer.getInteger(WIDTH, 80));
    }

    /**
     * A section as picocli renders it without a width: picocli.usage.width overrides the width set here, so it is
     * set aside while picocli renders (a command line runs on one thread).
     */
    private static String whole(IHelpSectionRenderer renderer, CommandLine.Help help) {
        String asked = System.clearProperty(WIDTH);
        try {
            return renderer.render(help);
        } finally {
            if (asked != null) {
                System.setProperty(WIDTH, asked);
            }
        }
    }

    static String wrap(String text, int width) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.length() <= width) {
                out.add(line);
                continue;
            }
            Matcher row = ROW.matcher(line);
            if (row.matches() && row.start(3) <= width / 2) {
                out.addAll(words(line.substring(0, row.start(3)), row.group(3), row.start(3) + 2, width));
            } else {
                int lead = line.length() - line.stripLeading().length();
                out.addAll(words(line.substring(0, lead), line.substring(lead), lead + 2, width));
            }
        }
        return String.join("\n", out);
    }

    /** The synopsis, its first line after a heading {@code offset} long, later lines under its first argument. */
    static String synopsis(String text, int offset, int width) {
        String line = text.strip().replaceAll("\\s+", " "); // picocli may have wrapped it already
        String newline = text.endsWith("\n") ? "\n" : "";
        Matcher m = FIRST_ARGUMENT.matcher(line);
        int indent = offset + (m.find() ? m.start() : 2);
        List<String> out = words(" ".repeat(offset), line, indent, width);
        out.set(0, out.get(0).substring(offset));
        return String.join("\n", out) + newline;
    }

    /** {@code prefix} then {@code text}'s words, a line at most {@code width} long, continuations indented. */
    private static List<String> words(String prefix, String text, int indent, int width) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder(prefix);
        boolean empty = true;
        for (String word : text.strip().split(" +")) {
            if (!empty && current.length() + 1 + word.length() > width) {
                out.add(current.toString());
                current = new StringBuilder(" ".repeat(indent)).append(word);
            } else {
                current.append(empty ? "" : " ").append(word);
            }
            empty = false;
        }
        out.add(current.toString());
        return out;
    }
}
