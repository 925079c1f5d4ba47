package dev.augsweep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.job.SweepJob;
import dev.augsweep.job.SweepJobs;
import dev.augsweep.results.ResultsLayout;
import dev.augsweep.results.SparkSessions;
import dev.augsweep.results.TrialOutcome;
import dev.augsweep.storage.Storage;
import dev.augsweep.storage.StorePath;
import dev.augsweep.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real standalone cluster (Master + two Workers, separate JVMs) started from the project's jars, the application
 * submitted with SparkSubmit, and faults injected from outside: a Worker killed mid-trial, the driver killed
 * mid-sweep and submitted again, a diverging trial, real native crashes (one trial's process dies once, another's
 * every time), and two executors extracting DJL's natives at once. No JVM may crash but the planted ones. Each Worker
 * advertises a GPU through a discovery script (fake addresses: a UUID and a MIG instance; there is no GPU here), the
 * application asks for one per task, and every trial's worker process must see exactly the address Spark assigned.
 */
class ClusterIT {
    private static final Path DIR = LocalCluster.DIR;
    private static final String GPU_1 = "GPU-8a1e2f4c-6b0d-4c3e-9f21-0d5e7a9b1c22";
    private static final String GPU_2 = "MIG-4b5c6d7e-8f90-5a1b-2c3d-4e5f6a7b8c9d";
    private static String master;

    @BeforeAll
    static void startCluster() throws Exception {
        master = LocalCluster.start(2, Map.of("WORKER_GPUS", GPU_1 + ";" + GPU_2));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        LocalCluster.stop();
    }

    @Test
    void aSweepSurvivesALostWorkerAndARestartedDriverWithExactlyOneRowPerTrial() throws Exception {
        Path shared = DIR.resolve("shared");
        LocalCluster.deleteTree(shared);
        Files.createDirectories(shared);
        Path results = shared.resolve("results");
        Path job = shared.resolve("cluster.conf");
        Files.writeString(job, """
                name = cluster
                grid = [
                  { method = [simclr, moco], augs = [abcde, abc, a], seed = [0] }
                  { method = [simclr], augs = [ab], lr = [1e30] }
                  { method = [simclr], augs = [ae], seed = [0] }
                ]
                trial { epochs = 3, batch-size = 64, width = 0.125, train-limit = 256, test-limit = 100,
                        moco { queue-size = 256 } }
                """);
        List<String> args = List.of("run", job.toString(), "--results", results.toString(),
                "data=" + TestData.archive().toAbsolutePath());
        SweepJob sweep = SweepJobs.load(job, List.of("data=" + TestData.archive().toAbsolutePath()), 100);
        ResultsLayout layout = new ResultsLayout(results);
        // A fresh DJL cache: both executors start at once and extract libtorch into it concurrently.
        Path djlCache = shared.resolve("djl-cache");
        // moco abc's training process dies of a SIGSEGV after epoch 1 (its conservative retry goes on); simclr ae's
        // dies in every attempt. (moco abc runs after the lost Worker: a trial whose executor is killed while it
        // recovers from a crash is simply run again elsewhere, which would leave nothing to check.)
        Map<String, String> env = Map.of("SUBMIT_CONF", "--conf spark.executorEnv.DJL_CACHE_DIR=" + djlCache
                + " --conf spark.executorEnv.ENGINE_CACHE_DIR=" + djlCache
                + " --conf spark.executor.resource.gpu.amount=1 --conf spark.task.resource.gpu.amount=1",
                "EXECUTOR_JAVA_OPTS",
                "-Daugsweep.fault.native-crash=moco-abc-@1 -Daugsweep.fault.native-crash-always=simclr-ae-@1");

        Process first = LocalCluster.submit(master, args, env, DIR.resolve("driver-1.log"));
        waitUntil(() -> inFlight(sweep, layout) >= 2, first, "two trials training at once, one per Worker");
        LocalCluster.killWorker(1);
        waitUntil(() -> finished(sweep, layout).size() >= 3, first, "three trials finished after losing a Worker");
        first.destroyForcibly().waitFor();
        Map<String, Long> before = finished(sweep, layout);

        Process second = LocalCluster.submit(master, args, env, DIR.resolve("driver-2.log"));
        assertThat(second.waitFor()).as(Files.readString(DIR.resolve("driver-2.log"))).isEqualTo(3); // 3: a trial failed
        String log2 = Files.readString(DIR.resolve("driver-2.log"));
        assertThat(log2).contains("finished earlier");

        // Finished trials were not trained again: their outcomes are the ones written before the driver died.
        before.forEach((id, at) -> assertThat(TrialOutcome.read(layout.trialDir(id)).finishedAtMillis()).isEqualTo(at));
        SparkSession spark = SparkSessions.create("verify", "local[1]", Map.of("spark.ui.enabled", "false"));
        try {
            List<Row> trials = spark.read().format("delta").load(layout.trialsTable().toString()).collectAsList();
            assertThat(trials).hasSize(sweep.trials().size());
            assertThat(trials.stream().map(r -> r.<String>getAs("trial_id")).distinct()).hasSize(sweep.trials().size());
            List<Row> failed = trials.stream().filter(r -> r.<String>getAs("status").equals("failed")).toList();
            assertThat(failed).hasSize(2);
            assertThat(failed).anySatisfy(r -> assertThat(r.<String>getAs("reason")).contains("loss became"));
            assertThat(failed).anySatisfy(r -> assertThat(r.<String>getAs("reason")).contains("native crash, twice")
                    .contains("SIGSEGV").contains("Unsafe_PutLong"));
            Row recovered = trials.stream().filter(r -> r.<String>getAs("trial_id").startsWith("moco-abc-"))
                    .findFirst().orElseThrow();
            assertThat(recovered.<String>getAs("status")).isEqualTo("finished");
            assertThat(recovered.<String>getAs("reason")).contains("conservative mode");
            // Each trained trial's process saw exactly the GPU Spark assigned its task (and, being CPU-only here,
            // said that it fell back to the CPU).
            List<Row> trained = trials.stream().filter(r -> r.<String>getAs("status").equals("finished")).toList();
            assertThat(trained).isNotEmpty().allSatisfy(r -> {
                assertThat(r.<String>getAs("gpu")).isIn(GPU_1, GPU_2);
                assertThat(r.<String>getAs("cuda_visible_devices")).isEqualTo(r.<String>getAs("gpu"));
                assertThat(r.<Boolean>getAs("cpu_fallback")).isTrue();
            });
            List<Row> epochs = spark.read().format("delta").load(layout.epochsTable().toString()).collectAsList();
            assertThat(epochs).hasSize(4 * (sweep.trials().size() - 2)); // epoch 0 (the untrained control), 1-3
            // The trial that was on the killed Worker went on from its checkpoint elsewhere.
            assertThat(epochs.stream().filter(r -> Boolean.TRUE.equals(r.getAs("resumed")))).isNotEmpty();
        } finally {
            spark.stop();
        }
        try (Stream<Path> libs = Files.walk(djlCache)) {
            assertThat(libs.filter(p -> p.getFileName().toString().equals("libtorch_cpu.so"))).hasSize(1);
        }
        // Crash logs exist only where crashes were planted, in those trials' directories: no executor, driver or
        // other training process crashed.
        try (Stream<Path> logs = Files.walk(DIR)) {
            List<String> crashed = logs.filter(p -> p.getFileName().toString().startsWith("hs_err_pid"))
                    .map(p -> DIR.relativize(p).toString()).toList();
            assertThat(crashed).allSatisfy(p -> assertThat(p).matches(
                    "shared/results/trials/(moco-abc|simclr-ae)-s1-seed0-[0-9a-f]+/hs_err_pid\\d+\\.log"));
            assertThat(crashed.stream().filter(p -> p.contains("simclr-ae-")).count()).isGreaterThanOrEqualTo(2);
            assertThat(crashed.stream().filter(p -> p.contains("moco-abc-")).count()).isGreaterThanOrEqualTo(1);
        }
        LocalCluster.deleteTree(shared); // the planted crash logs with it
    }

    private static int inFlight(SweepJob sweep, ResultsLayout layout) {
        return (int) sweep.trials().stream().map(t -> layout.trialDir(t.id()))
                .filter(d -> Storage.isFile(d.resolve("checkpoint.bin")) && !TrialOutcome.exists(d)).count();
    }

    private static Map<String, Long> finished(SweepJob sweep, ResultsLayout layout) {
        Map<String, Long> done = new HashMap<>();
        sweep.trials().forEach(t -> {
            StorePath d = layout.trialDir(t.id());
            if (TrialOutcome.exists(d)) {
                done.put(t.id(), TrialOutcome.read(d).finishedAtMillis());
            }
        });
        return done;
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitUntil(Condition c, Process driver, String what) throws Exception {
        long deadline = System.currentTimeMillis() + 600_000;
        while (!c.holds()) {
            assertThat(driver.isAlive()).as("driver exited before " + what).isTrue();
            assertThat(System.currentTimeMillis()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
