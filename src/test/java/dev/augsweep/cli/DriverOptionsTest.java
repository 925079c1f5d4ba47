package dev.augsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.device.GpuInventory;
import dev.augsweep.device.TaskGpu;
import dev.augsweep.job.SweepJob;
import dev.augsweep.job.SweepJobs;
import dev.augsweep.numerics.TrialsPerGpu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DriverOptionsTest {
    @Test
    void trialsPerGpuAutoIsResolvedFromTheSweepsWidestNetworkAndThisMachine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("job.conf");
        Files.writeString(file, "name = w\ngrid = [ { method = [simclr], width = [0.125, 0.25], augs = [a] } ]\n");
        SweepJob job = SweepJobs.load(file, List.of(), 100);
        DriverOptions options = new DriverOptions();
        options.sparkConf = List.of(TaskGpu.TRIALS_PER_GPU + "=auto");
        System.setProperty(GpuInventory.SIMULATED, "1");
        try {
            String resolved = options.options(job, false, new CommandLine(options)).sparkSettings()
                    .get(TaskGpu.TRIALS_PER_GPU);
            assertThat(resolved).isEqualTo(Integer.toString(TrialsPerGpu.auto(0.25,
                    Runtime.getRuntime().availableProcessors(), 1)));
        } finally {
            System.clearProperty(GpuInventory.SIMULATED);
        }
    }
}
