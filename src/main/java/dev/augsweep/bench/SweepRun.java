package dev.augsweep.bench;

import dev.augsweep.driver.SweepDriver;
import dev.augsweep.job.SweepJob;
import dev.augsweep.job.SweepJobs;
import dev.augsweep.results.TrialOutcome;
import dev.augsweep.storage.StorePath;
import dev.augsweep.sweep.SweepRunner;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The sweep benchmark's own JVM (a driver is its own JVM, as `augsweep run` starts one): a warm-up sweep of one
 * trial, then a local sweep of {@code TRIALS} smoke trials (jobs/smoke.conf's SimCLR settings). Per trial: each
 * attempt's own clock (started to finished, in outcome.json) less its training and evaluation seconds (the
 * untrained control's included) — data loading, model setup, checkpoints and outcome files — averaged over them. It cannot
 * go negative, whatever the packing: the gaps between consecutive task ends could (trials run one per core, so two
 * overlap). Fixed: everything outside the trials' span (first start to last end), paid once per sweep: Spark,
 * tables, the last results commit, the closing summary.
 */
final class SweepRun {
    static final String PREFIX = "sweep:";
    private static final int TRIALS = 8;

    private SweepRun() {
    }

    public static void main(String[] args) throws IOException {
        sweep(1); // the first Spark session and Delta table in a JVM load thousands of classes
        double[] r = sweep(TRIALS);
        System.out.printf(Locale.ROOT, "%s per-trial %.4f smoke-trial %.3f fixed %.2f%n", PREFIX, r[0], r[1], r[2]);
    }

    private static double[] sweep(int n) throws IOException {
        Path dir = Files.createTempDirectory("augsweep-bench");
        Path job = dir.resolve("bench.conf");
        String seeds = IntStream.range(0, n).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        Files.writeString(job, "name = bench\ngrid { method = [simclr], augs = [abcde], seed = [" + seeds + "] }\n"
                + "trial { epochs = 2, batch-size = 64, width = 0.125, train-limit = 512, test-limit = 256 }\n");
        SweepJob sweep = SweepJobs.load(job, List.of(), 100);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        PrintStream console = System.out;
        System.setOut(quiet); // the tasks' epoch lines
        long t0 = System.nanoTime();
        try {
            new SweepRunner(quiet).run(sweep,
                    new SweepDriver.Options(StorePath.local(dir.resolve("results")), null,
                            Map.of("spark.ui.enabled", "false"), false));
        } finally {
            System.setOut(console);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        List<TrialOutcome> outcomes = new ArrayList<>();
        for (var t : sweep.trials()) {
            outcomes.add(TrialOutcome.read(StorePath.local(dir.resolve("results/trials").resolve(t.id()))));
        }
        double trialSeconds = 0;
        double overhead = 0;
        for (TrialOutcome o : outcomes) {
            // The untrained control is evaluation (its epoch-0 row's eval_seconds), not the sweep's machinery.
            double seconds = ((Number) o.result().get("seconds")).doubleValue() + o.epochs().stream()
                    .filter(e -> ((Number) e.get("epoch")).intValue() == 0 && e.get("eval_seconds") != null)
                    .mapToDouble(e -> ((Number) e.get("eval_seconds")).doubleValue()).sum();
            trialSeconds += seconds;
            overhead += (o.finishedAtMillis() - o.startedAtMillis()) / 1e3 - seconds;
        }
        long first = outcomes.stream().mapToLong(TrialOutcome::startedAtMillis).min().orElseThrow();
        long last = outcomes.stream().mapToLong(TrialOutcome::finishedAtMillis).max().orElseThrow();
        System.out.printf(Locale.ROOT, "%s %d trial(s): %.1f s wall, of which training and evaluation %.2f s%n",
                PREFIX, n, wall, trialSeconds);
        return new double[] {overhead / n, trialSeconds / n, wall - (last - first) / 1e3};
    }
}
