package dev.augsweep.cli;

import dev.augsweep.bench.BenchReport;
import dev.augsweep.bench.Measure;
import dev.augsweep.config.TrialConfigs;
import dev.augsweep.data.CifarSource;
import dev.augsweep.jvm.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code augsweep bench}: throughput and overhead figures against PyTorch, measured side by side. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks: the training step, views per core, an epoch, kNN, the sweep's overhead and memory, "
                        + "each against its goal and, where one exists, the PyTorch peer.",
                "The training step at width 1 and 1/4, batch 256; augmentation per core; a whole epoch against "
                        + "its steps; kNN against a bare product and top-k; the sweep's overhead; memory over 10 epochs. "
                        + "The peer (src/bench/python/peer.py, PyTorch and torchvision) runs in rounds interleaved with "
                        + "ours; memory and the sweep are measured in fresh JVMs with this one's settings. The peer needs "
                        + "Debian's python3-torch and python3-torchvision; run it from the checkout."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as one JSON object")
    Path json;

    @Option(names = "--threads", defaultValue = "0", description = "Threads for both sides (default: all cores)")
    int threads;

    @Option(names = "--reps", defaultValue = "3", description = "Measured repetitions per round after warm-up (training steps at width 1/4: three times as many)")
    int reps;

    @Option(names = "--rounds", defaultValue = "2",
            description = "Rounds of each comparison with PyTorch, the peer just before us in each (median of all)")
    int rounds;

    @Option(names = "--only", split = ",", paramLabel = "SECTION",
            description = "Run only these sections: train, bf16, augment, epoch, knn, concentration, sweep, "
                    + "memory, host, cli (the readers' time on the shipped snapshot), search (the samplers' regret "
                    + "on synthetic functions beside Optuna's TPE), search-asha (TPE with and without ASHA through the "
                    + "driver beside Optuna's pruner, and the driver's cost per trial at 10,000) (default: all)")
    List<String> only = BenchReport.SECTIONS;

    @Override
    public Integer call() throws Exception {
        for (String section : only) {
            if (!BenchReport.SECTIONS.contains(section)) {
                throw new ParameterException(spec.commandLine(), "--only " + section + ": not a section; choose from "
                        + String.join(", ", BenchReport.SECTIONS));
            }
        }
        int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        var defaults = TrialConfigs.load(null, List.of());
        List<Measure> done = new ArrayList<>();
        // Each section's rows are printed, and the JSON rewritten, as the section ends: a later failure or a run
        // cut short keeps what was measured.
        // CIFAR-10 for the sections that train or augment; the readers' and the search's sections need none.
        boolean noData = only.stream().allMatch(s -> s.equals("cli") || s.startsWith("search"));
        List<Measure> measures = BenchReport.run(noData ? null : CifarSource.load(defaults.runtime().data(),
                defaults.dataset(), defaults.runtime().download()), t, reps, rounds, Set.copyOf(only),
                BenchCommand::augsweep, System.out, rows -> {
                    done.addAll(rows);
                    System.out.print(BenchReport.table(rows));
                    writeJson(done);
                });
        System.out.println();
        System.out.print(BenchReport.table(measures));
        if (json != null) {
            System.out.println("wrote " + json);
        }
        return 0;
    }

    /**
     * augsweep with {@code args} in a fresh JVM as a user starts it: through the launcher that started this one
     * (its JVM flags per command), else this JVM's flags and classes.
     */
    private static List<String> augsweep(List<String> args) {
        String home = System.getenv("AUGSWEEP_HOME");
        if (home != null && Files.isExecutable(Path.of(home, "augsweep"))) {
            List<String> command = new ArrayList<>(List.of(Path.of(home, "augsweep").toString()));
            command.addAll(args);
            return command;
        }
        try {
            return ChildJvm.command(Main.class, ChildJvm.sameFlags(), Files.createTempDirectory("augsweep-crashes"),
                    args);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void writeJson(List<Measure> measures) {
        if (json == null) {
            return;
        }
        try {
            Files.writeString(json, BenchReport.json(measures));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + json, e);
        }
    }
}
