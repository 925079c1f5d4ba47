package dev.augsweep.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The GPUs of this machine that local mode hands out, one per trial at a time, found without loading CUDA or
 * libtorch (the driver needs neither): the entries of CUDA_VISIBLE_DEVICES where it is set, else one index per GPU
 * the NVIDIA driver lists in /proc/driver/nvidia/gpus. None on a machine without the driver.
 */
public final class GpuInventory {
    /**
     * Test-only: pretend this machine has N GPUs (addresses 0 .. N-1), so that tests on a machine without GPUs
     * exercise local mode's one-trial-per-GPU scheduling. The trials then train on the CPU (and record that).
     */
    public static final String SIMULATED = "augsweep.test.gpus";
    private static final Path DRIVER_GPUS = Path.of("/proc/driver/nvidia/gpus");

    private GpuInventory() {
    }

    public static List<String> localAddresses() {
        String simulated = System.getProperty(SIMULATED);
        if (simulated != null) {
            return indices(Integer.parseInt(simulated.trim()));
        }
        int present = driverGpus();
        if (present == 0) {
            return List.of();
        }
        List<String> visible = AssignedGpu.entries(System.getenv(AssignedGpu.VISIBLE_DEVICES));
        if (System.getenv(AssignedGpu.VISIBLE_DEVICES) != null) {
            // "" or "-1" hides every GPU, as CUDA reads it
            return visible.stream().takeWhile(e -> !e.startsWith("-")).toList();
        }
        return indices(present);
    }

    /** GPUs the NVIDIA driver of this machine lists (0 without the driver). */
    public static int driverGpus() {
        if (!Files.isDirectory(DRIVER_GPUS)) {
            return 0;
        }
        try (Stream<Path> gpus = Files.list(DRIVER_GPUS)) {
            return (int) gpus.count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static List<String> indices(int n) {
        return IntStream.range(0, n).mapToObj(Integer::toString).toList();
    }
}
