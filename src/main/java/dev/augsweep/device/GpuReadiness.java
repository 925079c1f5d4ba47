package dev.augsweep.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.cuda.CudaUtils;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Can this process train on a GPU, and if not, why: what DJL loaded (directory, version, flavour), the CUDA runtime
 * and cuDNN it found, the GPUs it sees, and the fix where it cannot (`augsweep check --device gpu`).
 *
 * @param lines   the report, one fact per line
 * @param problem null when a GPU computed; else what is wrong and how to fix it
 */
public record GpuReadiness(List<String> lines, String problem) {
    public static GpuReadiness probe() {
        Engine engine = Engine.getInstance();
        Path dir = LoadedLibTorch.directory();
        List<String> lines = new ArrayList<>();
        lines.add("libtorch:        " + LibUtils.getVersion() + " from " + dir
                + (System.getenv("PYTORCH_LIBRARY_PATH") != null ? " (PYTORCH_LIBRARY_PATH)" : " (DJL's bundled natives)"));
        lines.add("CPU natives jar: " + (System.getProperty("java.class.path").contains("pytorch-native-cpu")
                ? "on the classpath" : "not on the classpath"));
        lines.add("flavour:         " + flavour(dir) + (engine.hasCapability("CUDA") ? " (a CUDA build)" : " (no CUDA)"));
        String cuda = GpuFacts.cudaVersion();
        lines.add("CUDA runtime:    " + (cuda == null ? "not found" : cuda));
        String cudnn = GpuFacts.cudnnVersion();
        lines.add("cuDNN:           " + (cudnn == null ? "not loaded" : cudnn));
        lines.add("NVIDIA driver:   " + GpuInventory.driverGpus() + " GPU(s) listed in /proc/driver/nvidia/gpus"
                + (System.getenv(AssignedGpu.VISIBLE_DEVICES) == null ? ""
                        : ", CUDA_VISIBLE_DEVICES=" + System.getenv(AssignedGpu.VISIBLE_DEVICES)));
        int gpus = engine.getGpuCount();
        lines.add("GPUs libtorch sees: " + gpus);
        for (int i = 0; i < gpus; i++) {
            lines.add(String.format(Locale.ROOT, "  gpu(%d): %s, compute capability %s", i, GpuFacts.name(i),
                    CudaUtils.getComputeCapability(i)));
        }
        if (gpus > 0) {
            try (NDManager m = NDManager.newBaseManager(Device.gpu(0))) {
                float sum = m.ones(new ai.djl.ndarray.types.Shape(64, 64)).matMul(m.ones(
                        new ai.djl.ndarray.types.Shape(64, 64))).sum().getFloat();
                lines.add("gpu(0) computed a 64x64 product: sum " + sum + (sum == 64f * 64 * 64 ? " (right)" : " (WRONG)"));
                return new GpuReadiness(lines, sum == 64f * 64 * 64 ? null
                        : "gpu(0) computed a wrong product: check the driver and the CUDA natives' versions");
            }
        }
        return new GpuReadiness(lines, problem(engine));
    }

    private static String problem(Engine engine) {
        if (engine.hasCapability("CUDA")) {
            return "the CUDA build of libtorch sees no GPU: check the NVIDIA driver (nvidia-smi) and "
                    + "CUDA_VISIBLE_DEVICES";
        }
        return "libtorch is a CPU build. Supply the CUDA natives: install a torch 2.7.1+cu128 wheel (pip install "
                + "torch==2.7.1 --index-url https://download.pytorch.org/whl/cu128) and set PYTORCH_LIBRARY_PATH="
                + "<its site-packages>/torch/lib PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128 (on a cluster as "
                + "spark.executorEnv.* too); docs/clusters.md: GPUs"
                + (GpuInventory.driverGpus() == 0 ? ". This machine also lists no GPU (no NVIDIA driver)" : "");
    }

    /** PYTORCH_FLAVOR where set, else read off DJL's cache directory name (2.7.1-<date>-cpu-linux-x86_64). */
    static String flavour(Path dir) {
        String set = System.getenv("PYTORCH_FLAVOR");
        if (set != null) {
            return set;
        }
        for (String part : dir.getFileName().toString().split("-")) {
            if (part.equals("cpu") || part.matches("cu\\d+")) {
                return part;
            }
        }
        return "unknown (set PYTORCH_FLAVOR)";
    }
}
