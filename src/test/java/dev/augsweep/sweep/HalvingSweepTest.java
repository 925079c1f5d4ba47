package dev.augsweep.sweep;

import static dev.augsweep.sweep.SweepRunnerTest.TINY;
import static dev.augsweep.sweep.SweepRunnerTest.rows;
import static dev.augsweep.sweep.SweepRunnerTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.job.SweepJob;
import dev.augsweep.job.SweepJobs;
import dev.augsweep.jvm.CrashLog;
import dev.augsweep.results.ResultsLayout;
import dev.augsweep.results.TrialOutcome;
import dev.augsweep.storage.StorePath;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Successive halving in a real local sweep: rungs, decisions, stopped rows, and a driver killed mid-rung. */
class HalvingSweepTest {
    /** Three cells of two seeds, three epochs; a third of the cells goes on at each of rungs 1 and 2. */
    static Path job(Path dir) throws Exception {
        Path job = dir.resolve("halving.conf");
        Files.writeString(job, """
                name = halving
                grid { method = [simclr], augs = [abcde, abc, a], seed = [0, 1] }
                trial { epochs = 3 }
                schedule { kind = halving, rungs = [1, 2], keep = 1/3 }
                """);
        return job;
    }

    @Test
    void theBestThirdOfCellsGoesOnAndTheRestStopWithTheirRungsMetrics(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SweepRunner.Summary s = run(job(dir), results, null, false, List.of(), log);
        assertThat(s.finished()).as("driver log:%n%s", log).isEqualTo(2);
        assertThat(s.stopped()).isEqualTo(4);
        List<Row> trials = rows(results, "trials", "true");
        assertThat(trials).hasSize(6);
        String kept = trials.stream().filter(r -> r.<String>getAs("status").equals("finished"))
                .map(r -> r.<String>getAs("augs")).distinct().findFirst().orElseThrow();
        assertThat(trials).filteredOn(r -> r.<String>getAs("augs").equals(kept)).hasSize(2)
                .allSatisfy(r -> assertThat(r.<Integer>getAs("epochs_done")).isEqualTo(3));
        assertThat(trials).filteredOn(r -> !r.<String>getAs("augs").equals(kept)).hasSize(4).allSatisfy(r -> {
            assertThat(r.<String>getAs("status")).isEqualTo("stopped");
            assertThat(r.<Integer>getAs("epochs_done")).isEqualTo(1);
            assertThat(r.<Integer>getAs("epochs")).isEqualTo(3); // the schedule it was part of
            assertThat(r.<String>getAs("reason")).contains("stops at epoch 1");
        });
        // The kept cell had the best mean at rung 1.
        List<Row> rung1 = rows(results, "epochs", "epoch = 1");
        double keptMean = mean(rung1, trials, kept);
        for (String other : List.of("abcde", "abc", "a")) {
            assertThat(keptMean).isGreaterThanOrEqualTo(mean(rung1, trials, other));
        }
        assertThat(rows(results, "epochs", "epoch >= 1")).hasSize(2 * 3 + 4);
        assertThat(rows(results, "epochs", "epoch = 0")).hasSize(6); // every trial's untrained control
        assertThat(log.toString()).contains("reached rung 1 (epoch 1)").contains("goes on at epoch 1")
                .contains("stops at epoch 1").contains("4 stopped");
        assertThat(new DecisionLog(new ResultsLayout(results)).read()).isNotEmpty()
                .allSatisfy(d -> assertThat(d).containsKeys("cell", "rung", "promoted"));
    }

    @Test
    void cellsThatDifferInLrAreTwoCellsForTheScheduleTheTablesAndSql(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("lr.conf");
        Files.writeString(job, """
                name = lr-axis
                grid { method = [simclr], augs = [a], lr = [0.03, 0.06], seed = [0, 1, 2] }
                trial { epochs = 2 }
                schedule { kind = halving, rungs = [1], keep = 1/2 }
                """);
        Path results = dir.resolve("results");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SweepRunner.Summary s = run(job, results, null, false, List.of(), log);
        assertThat(s.finished() + s.stopped()).as("driver log:%n%s", log).isEqualTo(6);
        List<Row> trials = rows(results, "trials", "true");
        java.util.Set<String> cells = new java.util.HashSet<>();
        trials.forEach(r -> cells.add(r.getAs("cell_id")));
        assertThat(cells).hasSize(2);
        // The schedule ranked exactly these two cells: one goes on, one stops.
        List<Object> decided = new DecisionLog(new ResultsLayout(results)).read().stream().map(d -> d.get("cell")).toList();
        assertThat(decided).containsExactlyInAnyOrderElementsOf(cells);
        assertThat(s.stopped()).isEqualTo(3);
        try (dev.augsweep.report.ResultsViews views = dev.augsweep.report.ResultsViews.open(StorePath.local(results))) {
            assertThat(views.spark().sql("SELECT cell_id, count(*) FROM trials GROUP BY cell_id").count())
                    .isEqualTo(2);
            var reports = dev.augsweep.report.TablesReport.build(views.trials(), null,
                    dev.augsweep.report.TablesReport.MAIN_SCALES, 0, true);
            // Each lr is a table of its own, named by it; neither blends the other's seeds.
            assertThat(reports).extracting(r -> r.scale().variant()).containsExactly("lr=0.03", "lr=0.06");
            assertThat(reports).allSatisfy(r -> assertThat(r.combinations().entry("a", "simclr").ours().n())
                    .isEqualTo(3));
        }
    }

    @Test
    void aDriverKilledMidRungLeavesExactlyOneRowPerTrialAfterTheRerun(@TempDir Path dir) throws Exception {
        Path job = job(dir);
        Path results = dir.resolve("results");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        command.addAll(JvmFlags.SPARK_OPENS);
        command.addAll(List.of("-Dai.djl.offline=true", CrashLog.errorFileFlag(dir), "dev.augsweep.cli.Main", "run",
                job.toString(), "--results", results.toString(), "--conf", "spark.ui.enabled=false",
                "--conf", "spark.task.cpus=1"));
        command.addAll(TINY);
        Process driver = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("driver.log").toFile()).start();
        SweepJob sweep = SweepJobs.load(job, TINY, 100);
        ResultsLayout layout = new ResultsLayout(results);
        long deadline = System.currentTimeMillis() + 300_000;
        // Mid-rung: one trial paused at rung 1, another still on its way there.
        while (!(sweep.trials().stream().anyMatch(t -> paused(layout, t.id()))
                && sweep.trials().stream().anyMatch(t -> !TrialOutcome.exists(layout.trialDir(t.id()))))) {
            assertThat(driver.isAlive()).as("driver still running; log:%n%s", Files.readString(dir.resolve("driver.log")))
                    .isTrue();
            assertThat(System.currentTimeMillis()).isLessThan(deadline);
            Thread.sleep(50);
        }
        driver.destroyForcibly().waitFor();

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SweepRunner.Summary s = run(job, results, null, false, List.of(), log);
        assertThat(s.finished() + s.stopped()).as("log:%n%s", log).isEqualTo(6);
        List<Row> trials = rows(results, "trials", "true");
        assertThat(trials).hasSize(6);
        assertThat(trials.stream().map(r -> r.<String>getAs("trial_id")).distinct()).hasSize(6);
        int epochsDone = trials.stream().mapToInt(r -> r.<Integer>getAs("epochs_done")).sum();
        assertThat(rows(results, "epochs", "epoch >= 1")).hasSize(epochsDone);
        assertThat(rows(results, "epochs", "epoch = 0")).hasSize(6); // one untrained control each
        // Run again: nothing to do, nothing added.
        SweepRunner.Summary again = run(job, results, null, false, List.of(), new ByteArrayOutputStream());
        assertThat(again.ranThisRun()).isZero();
        assertThat(rows(results, "trials", "true")).hasSize(6);
    }

    private static boolean paused(ResultsLayout layout, String id) {
        return TrialOutcome.exists(layout.trialDir(id)) && TrialOutcome.read(layout.trialDir(id)).paused();
    }

    private static double mean(List<Row> epochRows, List<Row> trials, String augs) {
        List<String> ids = trials.stream().filter(r -> r.<String>getAs("augs").equals(augs))
                .map(r -> r.<String>getAs("trial_id")).toList();
        return epochRows.stream().filter(r -> ids.contains(r.<String>getAs("trial_id")))
                .mapToDouble(r -> r.<Double>getAs("knn_top1")).average().orElseThrow();
    }
}
