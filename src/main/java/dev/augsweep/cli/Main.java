package dev.augsweep.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./augsweep} entry point; one subcommand per task a researcher does. */
@Command(name = "augsweep", mixinStandardHelpOptions = true, version = "augsweep 0.1.0",
        description = "Contrastive self-supervised learning augmentation sweeps (arXiv:2111.00743) on DJL and Spark.",
        subcommands = {TrainCommand.class, RunCommand.class, TablesCommand.class, SqlCommand.class,
                PlotsCommand.class, ConcentrationCommand.class, ControlsCommand.class, ExportCommand.class, BenchCommand.class, CheckCommand.class})
public final class Main {
    public static void main(String[] args) {
        int code = run(args);
        // Spark and DJL leave non-daemon threads behind; a CLI must still end.
        System.exit(code);
    }

    public static int run(String... args) {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler(new UserErrors())
                .execute(args);
    }
}
