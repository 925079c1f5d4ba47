package dev.augsweep.cli;

import dev.augsweep.config.ConfigReference;
import dev.augsweep.config.TrialConfigs;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code augsweep config}: the defaults every trial starts from, as shipped or as a generated reference. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Print the defaults every trial starts from (conf/defaults.conf, the paper's protocol).",
                "With --markdown, the configuration reference (docs/configuration.md) generated from them."})
final class ConfigCommand implements Callable<Integer> {
    @Option(names = "--markdown", description = "The reference as Markdown: every key, its default and its comment")
    boolean markdown;

    @Override
    public Integer call() {
        String text = TrialConfigs.defaultsText();
        System.out.print(markdown ? ConfigReference.markdown(text) : text);
        return 0;
    }
}
