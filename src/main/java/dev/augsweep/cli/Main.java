package dev.augsweep.cli;

import dev.augsweep.numerics.OneDnnGuard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/** The {@code ./augsweep} entry point; one subcommand per task a researcher does. */
@Command(name = "augsweep", mixinStandardHelpOptions = true, version = "augsweep 0.1.0",
        description = "Contrastive self-supervised learning augmentation sweeps (arXiv:2111.00743) on DJL and Spark.",
        subcommands = {TrainCommand.class, RunCommand.class, TablesCommand.class, SqlCommand.class,
                PlotsCommand.class, ServeCommand.class, ConcentrationCommand.class, ControlsCommand.class, ExportCommand.class, BenchCommand.class, CheckCommand.class,
                ConfigCommand.class})
public final class Main {
    /** Commands whose work a rerun continues where Ctrl-C stopped it. */
    private static final java.util.Set<String> RESUMABLE = java.util.Set.of("run", "train", "concentration");
    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "With an error a user can fix, print its stack trace too (default: its one line)")
    boolean verbose;

    public static void main(String[] args) {
        Interruption.install(System.err, args.length > 0 && RESUMABLE.contains(args[0])
                ? "stopped; run the same command again to resume" : "stopped");
        if (java.util.Arrays.asList(args).contains("--verbose")) {
            System.setProperty(OneDnnGuard.VERBOSE, "true"); // before any kernel check; trial workers inherit it
        }
        int code = run(args);
        // Spark and DJL leave non-daemon threads behind; a CLI must still end.
        System.exit(code);
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        return HelpLayout.apply(new CommandLine(new Main()).setExecutionExceptionHandler(new UserErrors(Main::verbose)));
    }

    /** Whether --verbose was given, before the subcommand or after it (an inherited option). */
    private static boolean verbose(CommandLine cmd) {
        for (CommandLine c = cmd; c != null; c = c.getParent()) {
            if (c.getCommandSpec().findOption("--verbose") != null
                    && Boolean.TRUE.equals(c.getCommandSpec().findOption("--verbose").getValue())) {
                return true;
            }
        }
        return false;
    }
}
