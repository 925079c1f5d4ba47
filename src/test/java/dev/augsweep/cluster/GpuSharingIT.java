package dev.augsweep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.results.ResultsLayout;
import dev.augsweep.results.SparkSessions;
import dev.augsweep.storage.StorePath;
import dev.augsweep.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Two trials per GPU on a real standalone cluster: one Worker with three task slots and one (simulated) GPU, the
 * application asking {@code spark.task.resource.gpu.amount=0.5}. The cores would let three tasks run, the GPU two:
 * never more than two trials train at once, both on that GPU, each recording that it shared it and each on its
 * task's one core.
 */
class GpuSharingIT {
    private static final String GPU = "GPU-3c1d5e7f-9a0b-4c2d-8e6f-1a3b5c7d9e0f";

    @Test
    void halfAGpuPerTaskRunsTwoTrialsOnItAtOnceAndNeverThree() throws Exception {
        Path shared = LocalCluster.DIR.resolve("sharing");
        LocalCluster.deleteTree(shared);
        Files.createDirectories(shared);
        String master = LocalCluster.start(1, Map.of("WORKER_GPUS", GPU, "WORKER_CORES", "3"));
        try {
            Path job = shared.resolve("sharing.conf");
            Files.writeString(job, """
                    name = sharing
                    grid = [ { method = [simclr], augs = [abcde, abc, ab, a], seed = [0] } ]
                    trial { epochs = 1, batch-size = 64, width = 0.125, train-limit = 256, test-limit = 100 }
                    """);
            Path results = shared.resolve("results");
            Process driver = LocalCluster.submit(master, List.of("run", job.toString(), "--results",
                    results.toString(), "data=" + TestData.archive().toAbsolutePath()), Map.of("SUBMIT_CONF",
                    "--conf spark.executor.resource.gpu.amount=1 --conf spark.task.resource.gpu.amount=0.5"),
                    shared.resolve("driver.log"));
            assertThat(driver.waitFor()).as(Files.readString(shared.resolve("driver.log"))).isZero();
            SparkSession spark = SparkSessions.create("verify", "local[1]", Map.of("spark.ui.enabled", "false"));
            try {
                List<Row> trials = spark.read().format("delta")
                        .load(new ResultsLayout(StorePath.local(results)).trialsTable().toString()).collectAsList();
                assertThat(trials).hasSize(4).allSatisfy(r -> {
                    assertThat(r.<String>getAs("status")).isEqualTo("finished");
                    assertThat(r.<String>getAs("gpu")).isEqualTo(GPU);
                    assertThat(r.<Integer>getAs("trials_on_gpu")).isEqualTo(2);
                    assertThat(r.<Integer>getAs("threads")).isEqualTo(1);
                });
                long most = 0;
                for (Row a : trials) { // the most at once is reached when one of them starts
                    Timestamp at = a.getAs("started_at");
                    long atOnce = trials.stream().filter(b -> !b.<Timestamp>getAs("started_at").after(at)
                            && b.<Timestamp>getAs("finished_at").after(at)).count();
                    most = Math.max(most, atOnce);
                }
                assertThat(most).as("trials training on the GPU at once").isEqualTo(2);
            } finally {
                spark.stop();
            }
        } finally {
            LocalCluster.stop();
            LocalCluster.deleteTree(shared);
        }
    }
}
