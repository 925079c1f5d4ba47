package dev.augsweep.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.device.GpuInventory;
import dev.augsweep.device.TaskGpu;
import dev.augsweep.results.SparkSessions;
import dev.augsweep.storage.StorePath;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local mode on a machine with GPUs, simulated (this machine has none): the driver runs one trial per GPU at a time,
 * each trial's worker process sees only its own GPU, and the cores are split between them. The trials then train on
 * the CPU, which they must say and record.
 */
class LocalGpusSweepTest {
    @Test
    void eachConcurrentTrialHasAGpuOfItsOwnAndNeverTwoShareOne(@TempDir Path dir) throws Exception {
        Path job = SweepRunnerTest.job(dir, "method = [simclr], augs = [abc, ab], seed = [0, 1]", 1);
        Path results = dir.resolve("results");
        runOnTwoSimulatedGpus(job, results, Map.of(), 4);
        List<Row> trials = SweepRunnerTest.rows(results, "trials", "true");
        assertThat(trials).hasSize(4).allSatisfy(r -> {
            // what the worker process saw is exactly what the task was assigned
            assertThat(r.<String>getAs("cuda_visible_devices")).isEqualTo(r.<String>getAs("gpu"));
            assertThat(r.<Integer>getAs("threads")).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
            assertThat(r.<Boolean>getAs("cpu_fallback")).isTrue();
            assertThat(r.<String>getAs("device_note")).contains("FELL BACK TO THE CPU").contains("CPU build");
            assertThat(r.<String>getAs("device")).isEqualTo("cpu()");
            assertThat(r.<String>getAs("cpu_kernels")).containsAnyOf("oneDNN", "libtorch's own kernels");
        });
        assertThat(trials.stream().map(r -> r.<String>getAs("gpu")).collect(Collectors.toSet()))
                .isEqualTo(Set.of("0", "1"));
        for (Row a : trials) {
            for (Row b : trials) {
                if (a != b && overlap(a, b)) {
                    assertThat(a.<String>getAs("gpu")).as("trials training at the same time")
                            .isNotEqualTo(b.<String>getAs("gpu"));
                }
            }
        }
    }

    /**
     * Two trials per GPU (--conf spark.augsweep.trialsPerGpu=2): on two simulated GPUs four trials run at once, never
     * more than two on one GPU, each with its share of the cores, and each records that it shared its GPU.
     */
    @Test
    void twoTrialsPerGpuNeverPutAThirdOnOne(@TempDir Path dir) throws Exception {
        Path job = SweepRunnerTest.job(dir, "method = [simclr], augs = [abc, ab, a], seed = [0, 1]", 1);
        Path results = dir.resolve("results");
        runOnTwoSimulatedGpus(job, results, Map.of(TaskGpu.TRIALS_PER_GPU, "2"), 6);
        List<Row> trials = SweepRunnerTest.rows(results, "trials", "true");
        assertThat(trials).hasSize(6).allSatisfy(r -> {
            assertThat(r.<Integer>getAs("trials_on_gpu")).isEqualTo(2);
            assertThat(r.<Integer>getAs("threads")).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 4));
        });
        for (Row a : trials) { // the most at once on a GPU is reached when one of them starts
            Timestamp at = a.getAs("started_at");
            long onItsGpu = trials.stream().filter(b -> b.<String>getAs("gpu").equals(a.<String>getAs("gpu"))
                    && !b.<Timestamp>getAs("started_at").after(at) && b.<Timestamp>getAs("finished_at").after(at))
                    .count();
            assertThat(onItsGpu).as("trials on GPU %s when %s started", a.<String>getAs("gpu"),
                    a.<String>getAs("trial_id")).isBetween(1L, 2L);
        }
        assertThatThrownBy(() -> SparkSessions.trialsPerGpu(Map.of(TaskGpu.TRIALS_PER_GPU, "half")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("not a positive whole number");
    }

    /** Runs the job in local mode on a machine that pretends to have two GPUs; all its trials finish. */
    private static void runOnTwoSimulatedGpus(Path job, Path results, Map<String, String> spark, int trials) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setProperty(GpuInventory.SIMULATED, "2");
        SweepRunner.Summary s;
        try {
            s = SweepRunnerTest.run(job, StorePath.local(results), null, false, List.of(), log, spark);
        } finally {
            System.clearProperty(GpuInventory.SIMULATED);
        }
        assertThat(s.finished()).as("driver log:\n%s", log).isEqualTo(trials);
    }

    private static boolean overlap(Row a, Row b) {
        Timestamp a0 = a.getAs("started_at");
        Timestamp a1 = a.getAs("finished_at");
        Timestamp b0 = b.getAs("started_at");
        Timestamp b1 = b.getAs("finished_at");
        return a0.before(b1) && b0.before(a1);
    }
}
