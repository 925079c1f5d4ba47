package dev.augsweep.sweep;

import static dev.augsweep.sweep.SweepRunnerTest.TINY;
import static dev.augsweep.sweep.SweepRunnerTest.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augsweep.cli.Main;
import dev.augsweep.driver.DriverLease;
import dev.augsweep.driver.ResultsBusyException;
import dev.augsweep.job.SweepJob;
import dev.augsweep.job.SweepJobs;
import dev.augsweep.jvm.CrashLog;
import dev.augsweep.results.ResultsLayout;
import dev.augsweep.results.SparkSessions;
import dev.augsweep.results.TrialOutcome;
import dev.augsweep.storage.Storage;
import dev.augsweep.storage.StorePath;
import dev.augsweep.testing.LocalS3;
import dev.augsweep.train.Checkpoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Results on a real S3 server in this JVM (S3Proxy on an in-memory store, {@link LocalS3}), reached as
 * {@code s3a://} with an endpoint, path-style access and a key pair, as an S3-compatible store is: a sweep whose
 * driver is killed mid-trial while a second driver is turned away, resumed, and read by {@code tables} and
 * {@code sql}; and a dataset archive on S3.
 */
class S3ResultsTest {
    @RegisterExtension
    static final LocalS3 S3 = new LocalS3();

    @AfterEach
    void usualSettings() {
        Storage.configure(Storage.hadoopSettings(Map.of()));
    }

    /**
     * A sweep of three trials, one at a time, in a driver process with --results s3a://...; while it trains, a
     * second driver is turned away (the first one's lease is alive); the first is killed (SIGTERM) once the first
     * trial finished and the second checkpointed an epoch; the run again takes the dead driver's lease over,
     * resumes, and ends with one row per trial, nothing finished rerun; tables and sql read them from S3.
     */
    @Test
    void aSweepOnS3SurvivesAKilledDriverTurnsASecondAwayAndIsReadByTablesAndSql(@TempDir Path dir) throws Exception {
        Storage.configure(S3.hadoop());
        StorePath results = StorePath.of(S3.uri("sweeps/killed"));
        ResultsLayout layout = new ResultsLayout(results);
        // Eight epochs, the kill after the second trial's first: a driver stopped by SIGTERM runs Spark's and S3A's
        // shutdown for seconds while its worker trains on (CI's machine finished two more epochs in that time), and
        // the run again must still find epochs left to resume.
        Path job = job(dir, "method = [simclr], augs = [abcde, abc, a], seed = [0]", 8);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path")));
        command.addAll(JvmFlags.SPARK_OPENS);
        command.addAll(List.of("-Dai.djl.offline=true", CrashLog.errorFileFlag(dir), "dev.augsweep.cli.Main", "run",
                job.toString(), "--results", results.toString(), "--conf", "spark.ui.enabled=false",
                // One trial at a time, so the kill lands after the first finished and while the second trains.
                "--conf", "spark.task.cpus=" + Runtime.getRuntime().availableProcessors()));
        S3.spark().forEach((k, v) -> command.addAll(List.of("--conf", k + "=" + v)));
        command.addAll(TINY);
        Path driverLog = dir.resolve("driver.log");
        Process driver = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(driverLog.toFile())
                .start();
        try {
            SweepJob sweep = SweepJobs.load(job, TINY, 1000);
            StorePath first = layout.trialDir(sweep.trials().get(0).id());
            StorePath second = layout.trialDir(sweep.trials().get(1).id());
            // Generous: on a loaded machine (a sweep running beside the build) the first trial alone took minutes.
            waitFor(driver, driverLog, () -> Checkpoint.epochsDone(first) >= 1, "the first trial's first epoch");

            ByteArrayOutputStream secondLog = new ByteArrayOutputStream();
            assertThatThrownBy(() -> SweepRunnerTest.run(job, results, null, false, List.of(), secondLog, S3.spark()))
                    .isInstanceOf(ResultsBusyException.class).hasMessageContaining("holds the lease on " + results)
                    .hasMessageContaining("is alive");
            assertThat(driver.isAlive()).as("the first driver still trains").isTrue();

            waitFor(driver, driverLog, () -> TrialOutcome.exists(first) && Checkpoint.epochsDone(second) >= 1,
                    "the first trial finished and the second checkpointed an epoch");
            // SIGTERM, as Ctrl-C or kill would: Spark's shutdown hook cancels the queued trial's job.
            driver.destroy();
            driver.waitFor();
            assertThat(TrialOutcome.exists(second)).as("killed while the second trial trained").isFalse();
            long firstFinished = TrialOutcome.read(first).finishedAtMillis();

            ByteArrayOutputStream log = new ByteArrayOutputStream();
            SweepRunner.Summary s = SweepRunnerTest.run(job, results, null, false, List.of(), log, S3.spark());
            assertThat(s.finished()).as("driver log:\n%s", log).isEqualTo(3);
            assertThat(TrialOutcome.read(first).finishedAtMillis()).as("not rerun").isEqualTo(firstFinished);
            assertThat(log.toString()).contains("resume from checkpoints");
            Map<String, Long> counts = counts(results, Map.of("trials", "true", "epochs", "epoch >= 1",
                    "resumed", "trial_id = '" + sweep.trials().get(1).id() + "' AND resumed"));
            assertThat(counts).as("one row per trial, each epoch once, the second trial resumed once")
                    .isEqualTo(Map.of("trials", 3L, "epochs", 24L, "resumed", 1L));
            assertThat(Files.readString(driverLog)).as("the killed driver's whole log").contains("[driver]")
                    .doesNotContain(LocalS3.SECRET_KEY);
            DriverLease.StoredFiles lease = new DriverLease.StoredFiles(layout.driverLease());
            assertThat(lease.latest()).as("the dead driver's generation taken over").isEqualTo(2);
            assertThat(lease.read(2)).as("lease released at the end").isEqualTo(DriverLease.RELEASED);
        } finally {
            driver.destroyForcibly();
        }

        List<String> conf = new ArrayList<>();
        S3.spark().forEach((k, v) -> conf.addAll(List.of("--conf", k + "=" + v)));
        Storage.configure(Storage.hadoopSettings(Map.of())); // what a reader's JVM has: its --conf only
        String tables = cli("tables", "--results", results.toString(), conf);
        assertThat(tables).contains("abcde").contains("simclr");
        String sql = cli("sql", "--results", results.toString(), conf,
                "SELECT augs, status FROM trials ORDER BY augs");
        assertThat(sql).containsPattern("(?m)^a +finished\\s*$").containsPattern("(?m)^abc +finished\\s*$")
                .containsPattern("(?m)^abcde +finished\\s*$").contains("(3 rows)");
    }

    @Test
    void aDatasetArchiveOnS3IsCopiedToTheCacheOnceAndRead(@TempDir Path dir) throws Exception {
        Storage.configure(S3.hadoop());
        RemoteArchiveCheck.copiedToTheCacheOnceAndRead(dir, S3.uri("data"));
    }

    /** A command's standard output, run in this JVM as a user runs it; fails with its error output otherwise. */
    private static String cli(String command, String resultsFlag, String results, List<String> conf,
                              String... more) {
        List<String> args = new ArrayList<>(List.of(command, resultsFlag, results));
        args.addAll(conf);
        args.addAll(List.of(more));
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
            code = Main.run(args.toArray(String[]::new));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertThat(code).as("%s: %s", command, errors).isZero();
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** Rows of the results tables, counted in one Spark session: name -> (table epochs, or trials, where ...). */
    private static Map<String, Long> counts(StorePath results, Map<String, String> wheres) {
        Map<String, String> settings = new LinkedHashMap<>(S3.spark());
        settings.put("spark.ui.enabled", "false");
        SparkSession spark = SparkSessions.create("read", "local[1]", settings);
        try {
            Map<String, Long> counts = new LinkedHashMap<>();
            wheres.forEach((name, where) -> counts.put(name, spark.read().format("delta")
                    .load(new ResultsLayout(results).table(name.equals("trials") ? "trials" : "epochs").toString())
                    .where(where).count()));
            return counts;
        } finally {
            spark.stop();
        }
    }

    private static void waitFor(Process driver, Path driverLog, java.util.function.BooleanSupplier done, String what)
            throws Exception {
        long deadline = System.currentTimeMillis() + 600_000;
        while (!done.getAsBoolean()) {
            assertThat(driver.isAlive()).as("driver still running; log:\n%s",
                    Files.exists(driverLog) ? Files.readString(driverLog) : "").isTrue();
            assertThat(System.currentTimeMillis()).as(what + " within 10 minutes").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
