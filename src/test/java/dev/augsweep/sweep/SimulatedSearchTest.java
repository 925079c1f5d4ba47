package dev.augsweep.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.storage.StorePath;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver at search scale: a sampled search with ASHA whose trials are simulated ({@link SimulatedTrials}), so
 * the driver, the schedule and the results store do all their work. Prints the driver's time and memory per trial.
 */
class SimulatedSearchTest {
    static Path job(Path dir, int samples) throws Exception {
        Path job = dir.resolve("search-" + samples + ".conf");
        Files.writeString(job, """
                name = scale
                grid { method = [simclr], augs = [abcde], seed = [0] }
                search { samples = %d, sampler = sobol, seed = 7, lr = "loguniform(0.01, 1.0)", strength = "uniform(0.1, 1.0)" }
                trial { epochs = 9, data = /nonexistent }
                schedule { kind = asha, rungs = [1, 3], reduction = 3 }
                """.formatted(samples));
        return job;
    }

    @Test
    void aSearchOfManySimulatedTrialsRecordsEachOnceWithAshasDecisions(@TempDir Path dir) throws Exception {
        int samples = Integer.getInteger("augsweep.scale.samples", 1_000);
        SweepJob search = SweepJobs.load(job(dir, samples), List.of(), 2 * samples);
        Path results = dir.resolve("results");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.gc();
        long heapBefore = usedHeap();
        long t0 = System.nanoTime();
        SweepRunner.Summary s = new SweepRunner(new PrintStream(log, true)).run(search,
                new SweepDriver.Options(StorePath.local(results), null, Map.of("spark.ui.enabled", "false"), false),
                SimulatedTrials::new);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.gc();
        long heapAfter = usedHeap();
        int trials = search.trials().size();
        System.out.printf(Locale.ROOT, "simulated search: %d trials (%d samples), %.1f s driver wall, %.2f ms per "
                        + "trial; heap after %.1f MB (%.1f kB per trial over the start)%n", trials, samples, seconds,
                1000 * seconds / trials, heapAfter / 1e6, (heapAfter - heapBefore) / 1e3 / trials);
        assertThat(s.finished() + s.stopped()).as("log tail: %s", tail(log)).isEqualTo(trials);
        assertThat(s.failed()).isZero();
        List<Row> rows = SweepRunnerTest.rows(results, "trials", "true");
        assertThat(rows).hasSize(trials);
        assertThat(rows.stream().map(r -> r.<String>getAs("trial_id")).distinct().count()).isEqualTo(trials);
        // ASHA at reduction 3: a rung passes floor(n / 3) of the n cells that reached it, none more.
        long past1 = rows.stream().filter(r -> r.<Integer>getAs("epochs_done") >= 3).count();
        long past3 = rows.stream().filter(r -> r.<Integer>getAs("epochs_done") == 9).count();
        // ASHA passes at least the final best third (its last decisions) and a few early promotions beyond it.
        assertThat(past1).isBetween((long) trials / 3, (long) (trials / 3 * 1.5));
        assertThat(past3).isBetween(past1 / 3, (long) (past1 / 3 * 1.5));
        assertThat(rows).allSatisfy(r -> assertThat(r.<scala.collection.Map<String, Double>>getAs("sampled").size())
                .isEqualTo(2));
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    private static String tail(ByteArrayOutputStream log) {
        String s = log.toString();
        return s.substring(Math.max(0, s.length() - 3000));
    }
}
