package dev.augsweep.bench.search;

import dev.augsweep.driver.SweepDriver;
import dev.augsweep.job.SweepJob;
import dev.augsweep.job.SweepJobs;
import dev.augsweep.report.ResultsViews;
import dev.augsweep.search.Distribution;
import dev.augsweep.storage.StorePath;
import dev.augsweep.sweep.SimulatedTrials;
import dev.augsweep.sweep.SweepRunner;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;

/**
 * The search benchmark through the driver's own path: a job whose {@code search} block samples an {@link Objective}'s
 * settings (trial settings: lr, strength, ...), run by {@link SweepRunner} on a local Spark with {@code slots} task
 * slots and {@link SimulatedTrials} scoring each trial by the objective's learning curve ({@link ObjectiveCurve});
 * optionally under ASHA. Everything a real search does happens: points proposed as slots free, recorded rounded,
 * scored as their cell's mean, the constant liar over what runs, the model fed from the highest rung enough cells
 * reached, promotions before new points, the results read back from the trials table.
 */
public final class DriverSearchBenchmark {
    /**
     * One search's outcome.
     *
     * @param regret  after each sample (by proposal index): the least objective value among the samples so far that
     *                trained to the last epoch, less the minimum (infinite before the first)
     * @param epochs  the simulated epochs all trials trained, promotions included
     * @param seconds the driver's wall time, Spark's start and stop included
     */
    public record Run(double[] regret, long epochs, double seconds) {
        public double finalRegret() {
            return regret[regret.length - 1];
        }
    }

    /** ASHA over epochs 3 and 9 of 27, reduction 3: Optuna's SuccessiveHalvingPruner(3, 3) has the same rungs. */
    public static final int EPOCHS = 27;
    static final String ASHA = "schedule { kind = asha, rungs = [3, 9], reduction = 3 }";

    private DriverSearchBenchmark() {
    }

    public static Run run(Objective f, boolean crossing, String sampler, boolean asha, long seed, int samples, int slots,
                          Path dir) {
        try {
            Files.createDirectories(dir);
            Path job = dir.resolve("search.conf");
            Files.writeString(job, jobText(f, sampler, asha, seed, samples));
            SweepJob search = SweepJobs.load(job, List.of(), 4 * samples);
            Path results = dir.resolve("results");
            long t0 = System.nanoTime();
            SweepRunner.Summary summary = new SweepRunner(new PrintStream(OutputStream.nullOutputStream()))
                    .run(search, new SweepDriver.Options(StorePath.local(results), "local[" + slots + "]",
                            Map.of("spark.ui.enabled", "false"), false),
                            layout -> new SimulatedTrials(layout, new ObjectiveCurve(f.name(), EPOCHS, seed, crossing)));
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (summary.failed() > 0) {
                throw new IllegalStateException(summary.failed() + " simulated trials failed:\n" + summary.table());
            }
            return read(f, results, samples, seconds);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String jobText(Objective f, String sampler, boolean asha, long seed, int samples) {
        String space = f.space().entrySet().stream()
                .map(e -> e.getKey() + " = \"" + e.getValue().text() + "\"").collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, """
                name = search-bench
                grid { method = [simclr], augs = [color], seed = [0] }
                search { samples = %d, sampler = %s, seed = %d, %s }
                trial { epochs = %d, data = /nonexistent }
                %s
                """, samples, sampler, seed, space, EPOCHS, asha ? ASHA : "");
    }

    private static Run read(Objective f, Path results, int samples, double seconds) {
        double[] regret = new double[samples];
        long epochs = 0;
        try (ResultsViews views = ResultsViews.open(StorePath.local(results))) {
            List<Row> rows = views.spark().sql("SELECT sample, sampled, epochs_done FROM trials")
                    .collectAsList().stream().sorted(Comparator.comparingInt(r -> r.<Integer>getAs("sample")))
                    .toList();
            double best = Double.POSITIVE_INFINITY;
            int next = 0;
            for (Row r : rows) {
                int epochsDone = r.<Integer>getAs("epochs_done");
                epochs += epochsDone;
                if (epochsDone == EPOCHS) {
                    best = Math.min(best, f.noiseless(point(f, r)));
                }
                int sample = r.<Integer>getAs("sample");
                while (next <= sample) {
                    regret[next++] = best - f.minimum();
                }
            }
            if (next != samples) {
                throw new IllegalStateException(next + " of " + samples + " samples in " + results);
            }
        }
        return new Run(regret, epochs, seconds);
    }

    /** The sample's point as the trials table records it (the objective's settings are numbers). */
    private static Map<String, Object> point(Objective f, Row r) {
        Map<String, Object> p = new LinkedHashMap<>();
        scala.collection.Map<String, Double> numbers = r.getAs("sampled");
        for (Map.Entry<String, Distribution> e : f.space().entrySet()) {
            p.put(e.getKey(), numbers.get(e.getKey()).get());
        }
        return p;
    }
}
