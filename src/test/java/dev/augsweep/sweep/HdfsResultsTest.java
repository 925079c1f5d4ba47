package dev.augsweep.sweep;

import static dev.augsweep.sweep.SweepRunnerTest.TINY;
import static dev.augsweep.sweep.SweepRunnerTest.job;
import static dev.augsweep.sweep.SweepRunnerTest.rows;
import static dev.augsweep.sweep.SweepRunnerTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augsweep.driver.DriverLease;
import dev.augsweep.driver.DriverLock;
import dev.augsweep.driver.ResultsBusyException;
import dev.augsweep.job.SweepJob;
import dev.augsweep.job.SweepJobs;
import dev.augsweep.jvm.CrashLog;
import dev.augsweep.report.ResultsViews;
import dev.augsweep.report.TablesReport;
import dev.augsweep.results.ResultsLayout;
import dev.augsweep.results.TrialOutcome;
import dev.augsweep.storage.Storage;
import dev.augsweep.storage.StorePath;
import dev.augsweep.testing.LocalHdfs;
import dev.augsweep.train.Checkpoint;
import dev.augsweep.train.CheckpointTest;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Results on a real HDFS: Hadoop's MiniDFSCluster (a name node and a data node in this JVM, on localhost ports),
 * reached by URI like any cluster's HDFS. No file under the results is touched except through Hadoop.
 */
class HdfsResultsTest {
    @RegisterExtension
    static final LocalHdfs HDFS = new LocalHdfs();
    private static final int EPOCHS = 8;
    /**
     * The run: a sweep with --results hdfs://..., a trial worker killed by a native crash mid-trial (its
     * crash log moved from the worker's local disk to the trial's directory on HDFS), then the driver killed; the
     * run again takes the dead driver's lease over, resumes, and ends with one row per trial, which tables and SQL
     * read from HDFS.
     */
    @Test
    void aSweepOnHdfsSurvivesAKilledWorkerAndAKilledDriver(@TempDir Path dir) throws Exception {
        StorePath results = StorePath.of(HDFS.uri() + "/sweeps/killed");
        killTheDriverMidTrialAndRunAgain(dir, results, List.of("-D" + FaultInjection.NATIVE + "=simclr-abc-@1"), 2, 2);
        ResultsLayout layout = new ResultsLayout(results);
        Row abc = rows(results, "trials", "augs = 'abc'").get(0);
        assertThat(Files.readString(dir.resolve("driver.log"))).contains("died (SIGSEGV")
                .contains("crash log: " + layout.trialDir(abc.getAs("trial_id")) + "/hs_err_pid");
        assertThat(Storage.list(layout.trialDir(abc.getAs("trial_id"))).stream().map(StorePath::name))
                .anyMatch(n -> n.startsWith("hs_err_pid"));
        DriverLease.StoredFiles lease = new DriverLease.StoredFiles(layout.driverLease());
        assertThat(lease.read(lease.latest())).as("lease released at the end").isEqualTo(DriverLease.RELEASED);
        try (ResultsViews views = ResultsViews.open(results)) {
            assertThat(views.spark().sql("SELECT count(*) FROM trials WHERE status = 'finished'").first().getLong(0))
                    .isEqualTo(3);
            assertThat(TablesReport.build(views.trials(), TablesReport.MAIN_SCALES, 0)).isNotEmpty();
        }
    }

    @Test
    void aLiveDriversLeaseTurnsASecondAwayAndADeadOnesIsTakenOver() throws Exception {
        ResultsLayout layout = new ResultsLayout(StorePath.of(HDFS.uri() + "/sweeps/leased"));
        DriverLease.StoredFiles files = new DriverLease.StoredFiles(layout.driverLease());
        try (DriverLock first = DriverLock.acquire(layout)) {
            assertThat(first).isInstanceOf(DriverLease.class);
            assertThatThrownBy(() -> DriverLock.acquire(layout)).isInstanceOf(ResultsBusyException.class)
                    .hasMessageContaining("holds the lease on " + layout.root()).hasMessageContaining("is alive");
            first.fence().check();
        }
        assertThat(files.read(files.latest())).isEqualTo(DriverLease.RELEASED);
        files.write(files.latest() + 1, "a-driver-that-died 7\n"); // no heartbeat follows
        try (DriverLock taken = DriverLock.acquire(layout)) {
            assertThat(files.latest()).isEqualTo(3);
            assertThat(files.read(3)).doesNotContain("a-driver-that-died");
            assertThat(Storage.exists(DriverLease.StoredFiles.file(layout.driverLease(), 1))).as("old generations "
                    + "tidied").isFalse();
        }
        // Two drivers creating one generation on HDFS at once: the name node lets one create it.
        assertThat(files.create(5, "x 0\n")).isTrue();
        assertThat(files.create(5, "y 0\n")).isFalse();
    }

    @Test
    void aDatasetArchiveOnHdfsIsCopiedToTheCacheOnceAndRead(@TempDir Path dir) throws Exception {
        RemoteArchiveCheck.copiedToTheCacheOnceAndRead(dir, HDFS.uri() + "/data");
    }

    @Test
    void twoAttemptsWritingOneCheckpointOnHdfsLeaveItWhole() throws Exception {
        CheckpointTest.twoWritersAndAReader(StorePath.of(HDFS.uri() + "/checkpoints/trial"));
    }

    /**
     * Starts a sweep of three trials, one at a time, in a driver process; kills it (SIGTERM) once the first trial
     * finished and the second checkpointed {@code killAfterEpoch} epochs; runs the sweep again in this JVM and checks
     * that nothing finished was rerun, the second resumed, and each trial has one row.
     *
     * @param driverProperties extra -D flags for the driver (fault injection, which its trial workers inherit)
     * @param resumptions      how often the second trial resumes from its checkpoint (1 + its workers' deaths)
     */
    private static void killTheDriverMidTrialAndRunAgain(Path dir, StorePath results, List<String> driverProperties,
                                                         int killAfterEpoch, int resumptions) throws Exception {
        // Eight epochs: a killed driver's worker goes on training while the driver runs Spark's and HDFS's shutdown
        // hooks, and the run again must still find epochs left to resume (the S3 test, killed the same way, once saw
        // its worker finish two epochs in that time).
        Path job = job(dir, "method = [simclr], augs = [abcde, abc, a], seed = [0]", EPOCHS);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path")));
        command.addAll(JvmFlags.SPARK_OPENS);
        command.addAll(driverProperties);
        command.addAll(List.of("-Dai.djl.offline=true", CrashLog.errorFileFlag(dir), "dev.augsweep.cli.Main", "run",
                job.toString(),
                "--results", results.toString(), "--conf", "spark.ui.enabled=false",
                // One trial at a time, so the kill lands after the first finished and while the second trains.
                "--conf", "spark.task.cpus=" + Runtime.getRuntime().availableProcessors()));
        command.addAll(TINY);
        Process driver = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("driver.log").toFile()).start();
        SweepJob sweep = SweepJobs.load(job, TINY, 1000);
        ResultsLayout layout = new ResultsLayout(results);
        StorePath first = layout.trialDir(sweep.trials().get(0).id());
        StorePath second = layout.trialDir(sweep.trials().get(1).id());
        // Generous: on a loaded machine (a sweep running beside the build) the first trial alone took over 3 minutes.
        long deadline = System.currentTimeMillis() + 600_000;
        while (!(TrialOutcome.exists(first) && Checkpoint.epochsDone(second) >= killAfterEpoch)) {
            Path driverLog = dir.resolve("driver.log");
            assertThat(driver.isAlive()).as("driver still running; log:\n%s",
                    Files.exists(driverLog) ? Files.readString(driverLog) : "").isTrue();
            assertThat(System.currentTimeMillis()).as("first trial finished and second checkpointed within 10 minutes")
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
        // SIGTERM, as Ctrl-C or kill would: Spark's shutdown hook cancels the queued trial's job, which must not
        // be taken for a failure.
        driver.destroy();
        driver.waitFor();
        assertThat(TrialOutcome.exists(second)).as("killed while the second trial trained").isFalse();
        long firstFinished = TrialOutcome.read(first).finishedAtMillis();

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SweepRunner.Summary s = run(job, results, null, false, List.of(), log);
        assertThat(s.finished()).as("driver log:\n%s", log).isEqualTo(3);
        assertThat(TrialOutcome.read(first).finishedAtMillis()).isEqualTo(firstFinished);
        assertThat(log.toString()).contains("resume from checkpoints");
        List<Row> trials = rows(results, "trials", "true");
        assertThat(trials).hasSize(3);
        assertThat(rows(results, "epochs", "trial_id = '" + sweep.trials().get(1).id() + "' AND resumed"))
                .hasSize(resumptions);
        assertThat(rows(results, "epochs", "epoch >= 1")).hasSize(3 * EPOCHS);
    }

}
