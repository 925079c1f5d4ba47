package dev.augsweep.train;

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

    /** A device and, in words, why a trial runs there (printed once per trial, recorded with its results). */
    public record Placement(Device device, String why) {
        @Override
        public String toString() {
            return device + " (" + why + ")";
        }
    }

    /** auto: the first GPU the CUDA build of libtorch sees, else the CPU; gpu:N that GPU or an error. */
    public static Placement select(String spec) {
        Engine engine = Engine.getInstance();
        int gpus = engine.getGpuCount();
        if (spec.equals("cpu")) {
            return new Placement(Device.cpu(), "device=cpu");
        }
        if (spec.equals("auto")) {
            return gpus > 0 ? new Placement(Device.gpu(0), "device=auto, first of " + gpus + " GPU(s)")
                    : new Placement(Device.cpu(), "device=auto, " + whyNoGpu(engine));
        }
        int index = spec.equals("gpu") ? 0 : Integer.parseInt(spec.substring(4));
        if (index >= gpus) {
            throw new InvalidConfigException("device", List.of("device = " + spec + " but " + whyNoGpu(engine)
                    + "; use device=auto or cpu, or install the CUDA natives (README: GPU natives)"));
        }
        return new Placement(Device.gpu(index), "device=" + spec);
    }

    private static String whyNoGpu(Engine engine) {
        if (engine.hasCapability("CUDA")) {
            return "the CUDA build of libtorch sees no GPU (no NVIDIA driver, or CUDA_VISIBLE_DEVICES hides them)";
        }
        int present = CudaUtils.getGpuCount();
        return present > 0
                ? "libtorch is its CPU build although " + present + " GPU(s) are present: install the CUDA natives "
                        + "(README: GPU natives)"
                : "no GPU: this machine has no usable NVIDIA driver, and libtorch is its CPU build";
    }

    /** 0 keeps libtorch's default (one thread per core); the pool is process-wide. */
    public static void configureThreads(int threads) {
        if (threads > 0) {
            Engine.getInstance();
            JniUtils.setNumThreads(threads);
        }
    }

    /** The intra-op threads libtorch uses in this process now. */
    public static int threads() {
        Engine.getInstance();
        return JniUtils.getNumThreads();
    }
}
