package dev.augsweep.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.driver.SweepDriver;
import dev.augsweep.job.SweepJob;
import dev.augsweep.job.SweepJobs;
import dev.augsweep.report.PaperTable;
import dev.augsweep.report.ResultsViews;
import dev.augsweep.report.TablesReport;
import dev.augsweep.results.BatchCommitter;
import dev.augsweep.results.ResultsLayout;
import dev.augsweep.results.ResultsStore;
import dev.augsweep.results.SparkSessions;
import dev.augsweep.results.TrialOutcome;
import dev.augsweep.storage.StorePath;
import dev.augsweep.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real Spark local mode, real Delta tables, real (tiny) trainings. */
class SweepRunnerTest {
    static final List<String> TINY = List.of("width=0.125", "train-limit=256", "test-limit=100", "batch-size=64",
            "moco.queue-size=256", "data=" + TestData.archive().toAbsolutePath());

    static Path job(Path dir, String grid, int epochs) throws Exception {
        Path job = dir.resolve("job.conf");
        Files.writeString(job, "name = test\ngrid { " + grid + " }\ntrial { epochs = " + epochs + " }\n");
        return job;
    }

    static SweepRunner.Summary run(Path job, Path results, String master, boolean retryFailed, List<String> extra,
                                   ByteArrayOutputStream log) {
        return run(job, StorePath.local(results), master, retryFailed, extra, log);
    }

    static SweepRunner.Summary run(Path job, StorePath results, String master, boolean retryFailed,
                                   List<String> extra, ByteArrayOutputStream log) {
        return run(job, results, master, retryFailed, extra, log, Map.of());
    }

    /** @param spark Spark settings beside the tests' own */
    static SweepRunner.Summary run(Path job, StorePath results, String master, boolean retryFailed,
                                   List<String> extra, ByteArrayOutputStream log, Map<String, String> spark) {
        List<String> overrides = new ArrayList<>(TINY);
        overrides.addAll(extra);
        SweepJob sweep = SweepJobs.load(job, overrides, 1000);
        Map<String, String> settings = new HashMap<>(Map.of("spark.ui.enabled", "false", "spark.task.cpus", "1"));
        settings.putAll(spark);
        return new SweepRunner(new PrintStream(log, true)).run(sweep,
                new SweepDriver.Options(results, master, settings, retryFailed));
    }

    static List<Row> rows(Path results, String table, String where) {
        return rows(StorePath.local(results), table, where);
    }

    static List<Row> rows(StorePath results, String table, String where) {
        SparkSession spark = SparkSessions.create("read", "local[1]", Map.of("spark.ui.enabled", "false"));
        try {
            return spark.read().format("delta").load(new ResultsLayout(results).table(table).toString())
                    .where(where).collectAsList();
        } finally {
            spark.stop();
        }
    }

    @Test
    void retriedTasksResumeFromTheirCheckpointAndLeaveOneRowEach(@TempDir Path dir) throws Exception {
        Path job = job(dir, "method = [simclr, moco], augs = [abc], seed = [0]", 2);
        Path results = dir.resolve("results");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setProperty(FaultInjection.PROPERTY, "1");
        SweepRunner.Summary s;
        try {
            // Two task slots, one CPU each: both trials train at once in one JVM, and every first attempt dies.
            s = run(job, results, "local[2,3]", false, List.of(), log);
        } finally {
            System.clearProperty(FaultInjection.PROPERTY);
        }
        assertThat(s.finished()).as("driver log:\n%s", log).isEqualTo(2);
        List<Row> trials = rows(results, "trials", "true");
        assertThat(trials).hasSize(2).allSatisfy(r -> assertThat(r.<String>getAs("status")).isEqualTo("finished"));
        List<Row> epochs = rows(results, "epochs", "epoch >= 1");
        assertThat(epochs).hasSize(4);
        assertThat(rows(results, "epochs", "epoch = 0")).hasSize(2); // the untrained controls
        assertThat(epochs.stream().filter(r -> r.<Integer>getAs("epoch") == 2))
                .allSatisfy(r -> assertThat(r.<Boolean>getAs("resumed")).isTrue());
        assertThat(log.toString()).contains("2 to run").contains("kNN top-1 (%)");
        try (ResultsViews views = ResultsViews.open(StorePath.local(results))) {
            // The paper table over rows that real trials wrote: one seed per cell, mean = that trial's best.
            TablesReport.Report report = TablesReport.build(views.trials(), TablesReport.MAIN_SCALES, 0).get(0);
            PaperTable.Entry moco = report.combinations().entry("abc", "moco");
            double mocoBest = trials.stream().filter(r -> r.<String>getAs("method").equals("moco")).findFirst()
                    .orElseThrow().<Double>getAs("knn_top1_best");
            assertThat(moco.ours().n()).isEqualTo(1);
            assertThat(moco.ours().mean()).isEqualTo(mocoBest);
            assertThat(moco.ours().std()).isZero();
            assertThat(report.combinations().entry("abcde", "simclr").ours()).isNull();
        }

        // Again: nothing runs, nothing is added.
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        SweepRunner.Summary second = run(job, results, "local[2,3]", false, List.of(), again);
        assertThat(second.ranThisRun()).isZero();
        assertThat(again.toString()).contains("2 finished earlier").contains("0 to run");
        assertThat(rows(results, "trials", "true")).hasSize(2);
    }

    @Test
    void aNativeCrashIsRetriedConservativelyAndATrialThatAlwaysCrashesEndsAsOneFailedRow(@TempDir Path dir)
            throws Exception {
        Path job = job(dir, "method = [simclr], augs = [abc, ab, a], seed = [0]", 2);
        Path results = dir.resolve("results");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        // Real SIGSEGVs in the processes that train: abc's dies once after epoch 1, ab's in every attempt.
        System.setProperty(FaultInjection.NATIVE, "simclr-abc-@1");
        System.setProperty(FaultInjection.NATIVE_ALWAYS, "simclr-ab-s@1");
        SweepRunner.Summary s;
        try {
            s = run(job, results, null, false, List.of(), log);
        } finally {
            System.clearProperty(FaultInjection.NATIVE);
            System.clearProperty(FaultInjection.NATIVE_ALWAYS);
        }
        // The driver lived to record all three.
        assertThat(s.finished()).as("driver log:\n%s", log).isEqualTo(2);
        assertThat(s.failed()).isEqualTo(1);
        ResultsLayout layout = new ResultsLayout(results);
        Row abc = rows(results, "trials", "augs = 'abc'").get(0);
        assertThat(abc.<String>getAs("status")).isEqualTo("finished");
        assertThat(abc.<String>getAs("reason")).contains("SIGSEGV").contains("Unsafe_PutLong").contains("conservative");
        assertThat(abc.<String>getAs("layout")).isEqualTo("nchw");
        assertThat(rows(results, "epochs", "trial_id = '" + abc.<String>getAs("trial_id") + "' AND epoch = 2 AND resumed"))
                .hasSize(1);
        Row ab = rows(results, "trials", "augs = 'ab'").get(0);
        assertThat(ab.<String>getAs("status")).isEqualTo("failed");
        assertThat(ab.<String>getAs("reason")).contains("native crash, twice").contains("SIGSEGV")
                .contains("Unsafe_PutLong").contains("hs_err_pid");
        Row a = rows(results, "trials", "augs = 'a'").get(0);
        assertThat(a.<String>getAs("status")).isEqualTo("finished");
        assertThat(a.<String>getAs("reason")).isNull();
        // Each crash log sits in its trial's directory; none is left anywhere else.
        assertThat(crashLogs(layout.trialDir(abc.getAs("trial_id")).toLocalPath())).hasSize(1);
        assertThat(crashLogs(layout.trialDir(ab.getAs("trial_id")).toLocalPath())).hasSize(2);
        assertThat(crashLogs(layout.trialDir(a.getAs("trial_id")).toLocalPath())).isEmpty();
        assertThat(crashLogs(Path.of(""))).as("crash logs in the working directory").isEmpty();
    }

    static List<Path> crashLogs(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("hs_err_pid")).toList();
        }
    }

    @Test
    void resultsOfAnotherJobOrAnOlderSchemaAreRefusedBeforeAnyTraining(@TempDir Path dir) throws Exception {
        Path job = job(dir, "method = [simclr], augs = [a], seed = [0]", 1);
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        Files.writeString(other.resolve("sweep.json"), "{\"name\": \"paper-augmentations\", \"job_file\": \"jobs/x.conf\"}");
        assertThatThrownBy(() -> run(job, other, null, false, List.of(), new ByteArrayOutputStream()))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("holds sweep 'paper-augmentations'")
                .hasMessageContaining("another --results");

        Path old = dir.resolve("old");
        SparkSession spark = SparkSessions.create("old", "local[1]", Map.of("spark.ui.enabled", "false"));
        try {
            spark.sql("CREATE TABLE delta.`" + new ResultsLayout(old).trialsTable()
                    + "` (trial_id STRING, knn DOUBLE) USING delta");
        } finally {
            spark.stop();
        }
        assertThatThrownBy(() -> run(job, old, null, false, List.of(), new ByteArrayOutputStream()))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("written by another version")
                .hasMessageContaining("schema_version");
        assertThat(Files.exists(new ResultsLayout(old).trialsDir().toLocalPath())).isFalse(); // nothing trained
    }

    @Test
    void aDivergingTrialIsRecordedAsFailedAndTheOthersFinish(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("job.conf");
        Files.writeString(job, """
                name = diverge
                grid = [ { method = [simclr], augs = [abc], seed = [0] }, { method = [simclr], augs = [a], lr = [1e30] } ]
                trial { epochs = 1 }
                """);
        Path results = dir.resolve("results");
        SweepRunner.Summary s = run(job, results, null, false, List.of(), new ByteArrayOutputStream());
        assertThat(s.finished()).isEqualTo(1);
        assertThat(s.failed()).isEqualTo(1);
        List<Row> failed = rows(results, "trials", "status = 'failed'");
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).<String>getAs("reason")).contains("loss became").contains("lower lr");
        assertThat(failed.get(0).<String>getAs("augs")).isEqualTo("a");

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SweepRunner.Summary retried = run(job, results, null, true, List.of(), log);
        assertThat(retried.ranThisRun()).isEqualTo(1);
        assertThat(rows(results, "trials", "true")).hasSize(2);
    }

    @Test
    void theTablesRecordTrialsWhileTheSweepStillRuns(@TempDir Path dir) throws Exception {
        // Epochs enough that the last trial outlasts a commit (a few MERGE jobs, seconds on two busy cores).
        Path job = job(dir, "method = [simclr], augs = [abc, ab, a], seed = [0]", 4);
        Path results = dir.resolve("results");
        // The default local master: one trial per core, and a commit must not wait for the trials queued behind.
        run(job, results, null, false, List.of(), new ByteArrayOutputStream());
        SparkSession spark = SparkSessions.create("read", "local[1]", Map.of("spark.ui.enabled", "false"));
        try {
            String trials = results.resolve("tables").resolve("trials").toString();
            Row first = io.delta.tables.DeltaTable.forPath(spark, trials).history()
                    .where("operation = 'MERGE' AND CAST(operationMetrics['numTargetRowsInserted'] AS INT) > 0")
                    .agg(org.apache.spark.sql.functions.min("timestamp")).first();
            Row last = spark.read().format("delta").load(trials)
                    .agg(org.apache.spark.sql.functions.max("finished_at")).first();
            assertThat(first.getTimestamp(0)).as("first rows committed before the last trial finished")
                    .isBefore(last.getTimestamp(0));
        } finally {
            spark.stop();
        }
    }

    @Test
    void outcomesAreRecordedOnceInBatchesAndEpochsOfACutShortCommitAreMergedOver(@TempDir Path dir) throws Exception {
        SweepJob sweep = SweepJobs.load(job(dir, "method = [simclr], augs = [a, b, c], seed = [0]", 2), TINY, 100);
        List<ResultsStore.Finished> finished = new ArrayList<>();
        for (var t : sweep.trials()) {
            List<Map<String, Object>> epochs = List.of(Map.of("epoch", 1, "loss", 5.0), Map.of("epoch", 2, "loss", 4.0));
            finished.add(new ResultsStore.Finished(t, new TrialOutcome(t.id(), TrialOutcome.FINISHED, null, "h", "cpu",
                    1, 2, Map.of("knn_top1_best", 20.0, "seconds", 1.0), epochs)));
        }
        ResultsLayout layout = new ResultsLayout(dir.resolve("results"));
        SparkSession spark = SparkSessions.create("store", "local[1]", Map.of("spark.ui.enabled", "false"));
        try {
            ResultsStore store = new ResultsStore(spark, layout);
            store.open();
            try (BatchCommitter<ResultsStore.Finished> committer = new BatchCommitter<>(f -> f.trial().id(),
                    batch -> store.commit("test", "job.conf", batch), java.util.Set.of(), System.out,
                    spark.sparkContext()::isStopped)) {
                committer.submit(finished.get(0));
                committer.submit(finished.get(1));
                committer.submit(finished.get(0)); // a retried task's report of the same trial
            }
            assertThat(store.trials().count()).isEqualTo(2);
            assertThat(store.epochs().count()).isEqualTo(4);

            // A driver stopped between the epochs and the trials commit of a batch: epochs without a trial, which
            // readers do not see and the trial's recording merges over.
            store.commit("test", "job.conf", List.of(finished.get(2)));
            spark.sql("DELETE FROM delta.`" + layout.trialsTable() + "` WHERE trial_id = '"
                    + finished.get(2).trial().id() + "'");
            assertThat(spark.read().format("delta").load(layout.epochsTable().toString()).count()).isEqualTo(6);
            assertThat(store.epochs().count()).isEqualTo(4);
            store.open();
            try (BatchCommitter<ResultsStore.Finished> committer = new BatchCommitter<>(f -> f.trial().id(),
                    batch -> store.commit("test", "job.conf", batch), store.recorded().keySet(), System.out,
                    spark.sparkContext()::isStopped)) {
                finished.forEach(committer::submit);
            }
            assertThat(store.trials().count()).isEqualTo(3);
            assertThat(store.epochs().count()).isEqualTo(6);
            assertThat(spark.read().format("delta").load(layout.epochsTable().toString()).count()).isEqualTo(6);

            // Recorded again, by a driver that did not know (no lock, a stale view): nothing is added.
            store.commit("test", "job.conf", finished);
            assertThat(store.trials().count()).isEqualTo(3);
            assertThat(spark.read().format("delta").load(layout.epochsTable().toString()).count()).isEqualTo(6);
        } finally {
            spark.stop();
        }
    }
}
