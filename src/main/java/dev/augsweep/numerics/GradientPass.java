package dev.augsweep.numerics;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import dev.augsweep.method.Method;

/**
 * Forward, loss and backward of one batch of view pairs, as the device computes them: the networks under the
 * trial's mixed precision (or fp32), gradients recorded on this thread only, fp16's loss scaled before backward. The
 * training step runs it, and so do the layout checks, so that what they compare is what training computes.
 */
public final class GradientPass {
    private final Method method;
    private final ParameterStore ps;
    private final Autocast autocast;
    private final LossScale lossScale;

    /**
     * @param autocast  the mixed precision the networks run in, or null for fp32
     * @param lossScale fp16's loss scale, or null
     */
    public GradientPass(Method method, ParameterStore ps, Autocast autocast, LossScale lossScale) {
        this.method = method;
        this.ps = ps;
        this.autocast = autocast;
        this.lossScale = lossScale;
        ThreadGradients.offOnThisThread();
    }

    /** In fp32. */
    public GradientPass(Method method, ParameterStore ps) {
        this(method, ps, null, null);
    }

    /** Leaves the gradients on the trained parameters and returns the (unscaled) loss; x0, x1 are NCHW batches. */
    public NDArray run(NDArray x0, NDArray x1) {
        try (Autocast.Step ignored = autocast == null ? () -> { } : autocast.step()) {
            method.beforeLoss(ps, x0, x1);
            NDArray loss;
            try (ThreadGradients gradients = new ThreadGradients()) {
                loss = method.loss(ps, x0, x1);
                gradients.backward(lossScale == null ? loss : lossScale.scaled(loss));
            }
            return loss;
        }
    }
}
