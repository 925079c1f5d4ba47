package dev.augsweep.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.augsweep.config.InvalidConfigException;
import java.util.List;

/** Picks the device a trial trains on and sizes libtorch's thread pool. */
public final class Devices {
    private Devices() {
    }

    /** auto: the first GPU DJL sees (it sees CUDA only where libcudart and GPU natives are present), else CPU. */
    public static Device select(String spec) {
        int gpus = Engine.getInstance().getGpuCount();
        if (spec.equals("cpu")) {
            return Device.cpu();
        }
        if (spec.equals("auto")) {
            return gpus > 0 ? Device.gpu(0) : Device.cpu();
        }
        int index = spec.equals("gpu") ? 0 : Integer.parseInt(spec.substring(4));
        if (index >= gpus) {
            throw new InvalidConfigException("device", List.of("device = " + spec + " but DJL sees " + gpus
                    + " GPU(s) on this machine; use device=auto or cpu, or install the CUDA natives (README: GPU natives)"));
        }
        return Device.gpu(index);
    }

    /** 0 keeps libtorch's default (one thread per core); the pool is process-wide. */
    public static void configureThreads(int threads) {
        if (threads > 0) {
            Engine.getInstance();
            JniUtils.setNumThreads(threads);
        }
    }
}
