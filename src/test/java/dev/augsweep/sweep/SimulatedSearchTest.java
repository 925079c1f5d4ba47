package dev.augsweep.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augsweep.driver.SparkShutDownException;
import dev.augsweep.driver.SweepDriver;
import dev.augsweep.job.SweepJob;
import dev.augsweep.job.SweepJobs;
import dev.augsweep.report.ResultsViews;
import dev.augsweep.report.SearchReport;
import dev.augsweep.results.ResultsLayout;
import dev.augsweep.results.TrialOutcome;
import dev.augsweep.storage.StorePath;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
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
    void aSearchOfTenThousandSimulatedTrialsRecordsEachOnceWithAshasDecisions(@TempDir Path dir) throws Exception {
        int samples = Integer.getInteger("augsweep.scale.samples", 10_000);
        SweepJob search = SweepJobs.load(job(dir, samples), List.of(), 2 * samples);
        Path results = dir.resolve("results");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.gc();
        long heapBefore = usedHeap();
        long t0 = System.nanoTime();
        SweepRunner.Summary s = new SweepRunner(new PrintStream(log, true)).run(search,
                options(results), SimulatedTruth::task);
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
        // The search report finds the simulated truth: strength helps throughout, lr peaks at 0.1.
        try (ResultsViews views = ResultsViews.open(List.of(StorePath.local(results)))) {
            SearchReport report = SearchReport.build(views.spark()).get(0);
            // The highest rung that enough cells reached: the last, which a third of a third of them reach.
            assertThat(report.effectEpoch()).isEqualTo(9);
            SearchReport.Effect strength = report.effects().stream().filter(e -> e.setting().equals("strength"))
                    .findFirst().orElseThrow();
            assertThat(strength.rho()).isGreaterThan(0.3);
            assertThat(strength.pHolm()).isLessThan(0.001);
            // lr peaks inside its range: little rank correlation, yet the forest finds it matters.
            SearchReport.Effect lr = report.effects().stream().filter(e -> e.setting().equals("lr"))
                    .findFirst().orElseThrow();
            assertThat(lr.importance()).isGreaterThan(0.2);
            assertThat(report.best()).isNotEmpty();
            double bestLr = Double.parseDouble(report.best().get(0).settings().get("lr"));
            assertThat(bestLr).isBetween(0.03, 0.3);
            assertThat(report.trialsReaching()).containsEntry(1, trials).containsEntry(3, (int) past1)
                    .containsEntry(9, (int) past3);
            assertThat(report.render()).contains("higher is better").contains("epoch 3: " + past1);
        }
    }

    @Test
    void aDriverStoppedMidSearchGoesOnFromItsRecordsTrainingNoUnitTwice(@TempDir Path dir) throws Exception {
        SweepJob search = SweepJobs.load(job(dir, 120), List.of(), 1000);
        Path results = dir.resolve("results");
        SimulatedTruth.WRITTEN.clear();
        UNITS.set(0);
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        // The 100th unit stops Spark from a thread of its own, as Ctrl-C's shutdown hook would.
        assertThatThrownBy(() -> new SweepRunner(new PrintStream(first, true)).run(search, options(results),
                layout -> stopSparkAt(100, SimulatedTruth.task(layout))))
                .isInstanceOf(SparkShutDownException.class).hasMessageContaining("Spark was shut down");
        STOPPER.get().join(); // Spark's stop is over: the next run gets a context of its own
        List<Map<String, Object>> before = new DecisionLog(new ResultsLayout(results)).read();
        assertThat(before).as("decisions before the stop").isNotEmpty();

        ByteArrayOutputStream second = new ByteArrayOutputStream();
        SweepRunner.Summary s = new SweepRunner(new PrintStream(second, true)).run(search, options(results),
                SimulatedTruth::task);
        assertThat(s.finished() + s.stopped()).as("log tail: %s", tail(second)).isEqualTo(search.trials().size());
        List<Row> rows = SweepRunnerTest.rows(results, "trials", "true");
        assertThat(rows).hasSize(search.trials().size());
        assertThat(SimulatedTruth.WRITTEN.values()).as("units written twice").allMatch(n -> n == 1);
        // The records' decisions stand: each cell decided once per rung, and its trials went as decided.
        List<Map<String, Object>> decisions = new DecisionLog(new ResultsLayout(results)).read();
        assertThat(decisions).startsWith(before.toArray(Map[]::new));
        Map<String, Integer> epochsDone = new java.util.HashMap<>();
        rows.forEach(r -> epochsDone.put(r.getAs("cell_id"), r.<Integer>getAs("epochs_done")));
        java.util.Set<String> decided = new java.util.HashSet<>();
        for (Map<String, Object> d : decisions) {
            String cell = (String) d.get("cell");
            int rung = ((Number) d.get("rung")).intValue();
            assertThat(decided.add(cell + "@" + rung)).as("%s decided twice at %d", cell, rung).isTrue();
            if ((Boolean) d.get("promoted")) {
                assertThat(epochsDone.get(cell)).as(cell).isGreaterThan(rung);
            } else {
                assertThat(epochsDone.get(cell)).as(cell).isEqualTo(rung);
            }
        }
    }

    @Test
    void aRungThatADriverStoppedAfterItsLastOutcomeIsDecidedOnceByTheNextDriver(@TempDir Path dir) throws Exception {
        Path job = Files.writeString(dir.resolve("halving.conf"), """
                name = restart-at-rung
                grid { method = [simclr], augs = [abcde], seed = [0] }
                search { samples = 12, sampler = sobol, seed = 7, lr = "loguniform(0.01, 1.0)", strength = "uniform(0.1, 1.0)" }
                trial { epochs = 9, data = /nonexistent }
                schedule { kind = halving, rungs = [1, 3], keep = 1/3 }
                """);
        SweepJob search = SweepJobs.load(job, List.of(), 1000);
        Path results = dir.resolve("results");
        SimulatedTruth.WRITTEN.clear();
        UNITS.set(0);
        // The rung's last unit (the 12th to epoch 1) writes its outcome; Spark is stopped before the driver hears of it.
        // Cells ahead were promoted as they came; none was stopped, which needs the whole rung.
        assertThatThrownBy(() -> new SweepRunner(new PrintStream(new ByteArrayOutputStream(), true)).run(search,
                options(results), layout -> stopSparkAfter(12, SimulatedTruth.task(layout))))
                .isInstanceOf(SparkShutDownException.class);
        STOPPER.get().join();
        assertThat(new DecisionLog(new ResultsLayout(results)).read()).as("decisions before the stop")
                .noneMatch(d -> d.get("promoted").equals(false));

        ByteArrayOutputStream second = new ByteArrayOutputStream();
        SweepRunner.Summary s = new SweepRunner(new PrintStream(second, true)).run(search, options(results),
                SimulatedTruth::task);
        // The next driver decides the rung at its start: each trial it stops is said, counted and recorded once.
        assertThat(s.finished() + s.stopped()).isEqualTo(12);
        assertThat(s.stopped()).as("halving keeps a third at epoch 1").isGreaterThanOrEqualTo(8);
        List<String> stops = second.toString().lines().filter(l -> l.startsWith("[sweep] stopped ")).toList();
        assertThat(stops).as("log tail: %s", tail(second)).doesNotHaveDuplicates().hasSize(s.stopped());
        List<String> status = second.toString().lines().filter(l -> l.matches("\\[sweep] \\d+/12 done.*")).toList();
        assertThat(status.get(status.size() - 1)).contains(", " + s.stopped() + " stopped |");
    }

    /**
     * Runs the n-th unit to the first rung whole (its outcome written), then stops Spark before the unit's result can
     * come back.
     */
    private static org.apache.spark.api.java.function.Function<TrialSegment, TrialOutcome> stopSparkAfter(int n,
            org.apache.spark.api.java.function.Function<TrialSegment, TrialOutcome> trials) {
        return segment -> {
            TrialOutcome outcome = trials.call(segment);
            if (segment.stopAfter() == 1 && UNITS.incrementAndGet() == n) {
                org.apache.spark.SparkContext sc = org.apache.spark.SparkContext.getOrCreate();
                STOPPER.set(new Thread(sc::stop));
                STOPPER.get().start();
                while (!sc.isStopped()) {
                    Thread.sleep(5);
                }
            }
            return outcome;
        };
    }

    private static SweepDriver.Options options(Path results) {
        return new SweepDriver.Options(StorePath.local(results), null, Map.of("spark.ui.enabled", "false"), false);
    }

    /** Units run so far, across the copies Spark deserialises of a task (local mode: one JVM). */
    private static final AtomicInteger UNITS = new AtomicInteger();
    private static final java.util.concurrent.atomic.AtomicReference<Thread> STOPPER =
            new java.util.concurrent.atomic.AtomicReference<>();

    private static org.apache.spark.api.java.function.Function<TrialSegment, TrialOutcome> stopSparkAt(int n,
            org.apache.spark.api.java.function.Function<TrialSegment, TrialOutcome> trials) {
        return segment -> {
            if (UNITS.incrementAndGet() == n) {
                STOPPER.set(new Thread(() -> org.apache.spark.SparkContext.getOrCreate().stop()));
                STOPPER.get().start();
            }
            return trials.call(segment);
        };
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
