package dev.augsweep.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.cuda.CudaUtils;
import dev.augsweep.config.InvalidConfigException;
import java.util.List;

/** Picks the device a trial trains on, says why, and sizes libtorch's thread pool. */
public final class Devices {
    private Devices() {
    }

    /**
     * A device and, in words, why a trial runs there (printed once per trial, recorded with its results).
     *
     * @param cpuFallback device = auto trains on the CPU although this process was given or can see a GPU
     */
    public record Placement(Device device, String why, boolean cpuFallback) {
        @Override
        public String toString() {
            return device + " (" + why + ")";
        }
    }

    /**
     * auto: the first GPU the CUDA build of libtorch sees (a sweep's worker sees only the GPU assigned to it, see
     * {@link AssignedGpu}), else the CPU, loudly where a GPU was there to use; gpu or gpu:N that GPU or an error
     * that says how to supply the CUDA natives.
     */
    public static Placement select(String spec) {
        Engine engine = Engine.getInstance();
        int gpus = engine.getGpuCount();
        if (spec.equals("cpu")) {
            return new Placement(Device.cpu(), "device=cpu", false);
        }
        String visible = System.getenv(AssignedGpu.VISIBLE_DEVICES);
        String among = visible == null ? "" : " (CUDA_VISIBLE_DEVICES=" + visible + ")";
        if (spec.equals("auto")) {
            if (gpus > 0) {
                return new Placement(Device.gpu(0), "device=auto, GPU 0 of " + gpus + " visible" + among, false);
            }
            boolean gpuExpected = !AssignedGpu.entries(visible).isEmpty() && !visible.trim().startsWith("-")
                    || GpuInventory.driverGpus() > 0;
            return gpuExpected
                    ? new Placement(Device.cpu(), "device=auto FELL BACK TO THE CPU: " + whyNoGpu(engine, visible), true)
                    : new Placement(Device.cpu(), "device=auto, " + whyNoGpu(engine, visible), false);
        }
        int index = spec.equals("gpu") ? 0 : Integer.parseInt(spec.substring(4));
        if (index >= gpus) {
            throw new InvalidConfigException("device", List.of("device = " + spec + " but " + whyNoGpu(engine, visible)
                    + "; use device = auto or cpu, or supply the CUDA natives (docs/clusters.md: GPUs; "
                    + "`augsweep check --device gpu` says what DJL loads)"));
        }
        return new Placement(Device.gpu(index), "device=" + spec + among, false);
    }

    private static String whyNoGpu(Engine engine, String visible) {
        if (engine.hasCapability("CUDA")) {
            return "the CUDA build of libtorch sees no GPU (no NVIDIA driver, or CUDA_VISIBLE_DEVICES="
                    + visible + " hides them)";
        }
        int present = Math.max(CudaUtils.getGpuCount(), GpuInventory.driverGpus());
        String where = "libtorch is its CPU build (" + LoadedLibTorch.directory() + ")";
        if (present > 0 || !AssignedGpu.entries(visible).isEmpty()) {
            return where + " although " + (present > 0 ? present + " GPU(s) are present" : "GPU " + visible
                    + " was assigned") + ": supply the CUDA natives with PYTORCH_LIBRARY_PATH=<torch/lib of a "
                    + "torch 2.7.1+cu128 wheel> PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128 (docs/clusters.md: GPUs)";
        }
        return "no GPU: this machine has no usable NVIDIA driver, and " + where;
    }

    /** 0 keeps libtorch's default (one thread per core); the pool is process-wide. */
    public static void configureThreads(int threads) {
        LoadedLibTorch.start();
        if (threads > 0) {
            JniUtils.setNumThreads(threads);
        }
    }

    /** The intra-op threads libtorch uses in this process now. */
    public static int threads() {
        LoadedLibTorch.start();
        return JniUtils.getNumThreads();
    }

    /**
     * Gives libtorch's cached GPU memory back to the driver: a pooled worker waits between trials holding what its last
     * trial allocated, which the next trial on that GPU (perhaps in another process) would otherwise not get.
     */
    public static void releaseCachedMemory() {
        if (Engine.getInstance().getGpuCount() > 0) {
            JniUtils.emptyCudaCache();
        }
    }
}
