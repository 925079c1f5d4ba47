package dev.augsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Every command's help reads whole at 80 and 120 columns: no word split over two lines (picocli broke "JOB.conf",
 * "./results" and "spark.task.cpus" at their dots), no line wider than the width but a single long word, and each
 * command's summary in the command list a whole sentence.
 */
class HelpTextTest {
    /** At {@code width} as a user asks for it (picocli.usage.width), or whole (picocli's own width, huge). */
    private static String help(CommandLine cl, int width) {
        if (width > 1000) {
            int set = cl.getUsageHelpWidth();
            cl.setUsageHelpWidth(width);
            try {
                return cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
            } finally {
                cl.setUsageHelpWidth(set);
            }
        }
        String before = System.getProperty(HelpLayout.WIDTH);
        System.setProperty(HelpLayout.WIDTH, Integer.toString(width));
        try {
            return cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
        } finally {
            if (before == null) {
                System.clearProperty(HelpLayout.WIDTH);
            } else {
                System.setProperty(HelpLayout.WIDTH, before);
            }
        }
    }

    private static List<CommandLine> all(CommandLine cl) {
        List<CommandLine> out = new ArrayList<>(List.of(cl));
        cl.getSubcommands().values().forEach(c -> out.addAll(all(c)));
        return out;
    }

    @ParameterizedTest(name = "{0} columns")
    @ValueSource(ints = {80, 120})
    void everyCommandsHelpWrapsAtWordsWithinTheWidth(int width) {
        for (CommandLine cl : all(Main.commandLine())) {
            String name = cl.getCommandSpec().qualifiedName();
            String wrapped = help(cl, width);
            String whole = help(cl, 10_000);
            assertThat(Arrays.asList(wrapped.split("\\s+"))).as("%s at %d: its words, none split", name, width)
                    .isEqualTo(Arrays.asList(whole.split("\\s+")));
            for (String line : wrapped.split("\n")) {
                assertThat(line.length() <= width || !line.strip().contains(" ")).as("%s at %d: '%s' is wider", name,
                        width, line).isTrue();
            }
            if (cl.getParent() != null) {
                String summary = cl.getCommandSpec().usageMessage().description()[0];
                assertThat(summary).as("%s's summary in the command list", name).endsWith(".");
            }
        }
    }
}
