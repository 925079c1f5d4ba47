package dev.augsweep.numerics;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Records gradients on the calling thread only. DJL's GradientCollector allows one per JVM (a static flag), so
 * two trials in one Spark executor would collide; libtorch's grad mode is thread-local, so recording it per
 * thread lets concurrent trials (one per GPU of a multi-GPU executor) train side by side.
 */
public final class ThreadGradients implements AutoCloseable {
    ThreadGradients() {
        JniUtils.setGradMode(true);
    }

    /**
     * libtorch records gradients by default on every thread but the one that started DJL's engine; a trial on a
     * Spark task thread must switch recording off, or its no-gradient work (MoCo's momentum update and queue,
     * kNN features) would build graphs and trip autograd's in-place checks.
     */
    public static void offOnThisThread() {
        JniUtils.setGradMode(false);
    }

    void backward(NDArray loss) {
        try (NDArray seed = loss.onesLike()) {
            JniUtils.backward((PtNDArray) loss, (PtNDArray) seed, false, false);
        }
    }

    @Override
    public void close() {
        offOnThisThread();
    }
}
