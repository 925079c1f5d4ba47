package dev.augsweep.numerics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import java.util.Collection;

/**
 * Dynamic loss scaling for fp16, as PyTorch's GradScaler does it: fp16's smallest normal is 6e-5, so small
 * gradients would flush to zero; the loss is multiplied by a large power of two before the backward pass and the
 * gradients divided by it after (exact: powers of two only move the exponent). A step whose gradients overflowed is
 * skipped and the scale halved; after {@link #GROWTH_INTERVAL} good steps in a row it doubles. bf16 has fp32's range
 * and needs none of this.
 */
public final class LossScale {
    /** GradScaler's defaults: start at 2^16, double after 2,000 good steps, halve on an overflow. */
    static final float INITIAL = 65536f;
    static final int GROWTH_INTERVAL = 2000;
    private float scale;
    private int goodSteps;

    public LossScale() {
        this(INITIAL);
    }

    LossScale(float initial) {
        this.scale = initial;
    }

    public float scale() {
        return scale;
    }

    /** The loss to run the backward pass on. */
    public NDArray scaled(NDArray loss) {
        return loss.mul(scale);
    }

    /**
     * Divides every gradient by the scale; false (and the gradients zeroed, the scale halved) when any was not
     * finite, in which case the caller skips the step.
     */
    public boolean unscale(Collection<Parameter> parameters) {
        boolean finite = true;
        for (Parameter p : parameters) {
            NDArray grad = p.getArray().getGradient();
            grad.divi(scale);
            try (NDArray bad = grad.isInfinite().logicalOr(grad.isNaN()).any()) {
                finite &= !bad.getBoolean();
            }
        }
        if (!finite) {
            // Assigned, not multiplied: an overflowed element times zero would stay NaN.
            parameters.forEach(p -> p.getArray().getGradient().set(new NDIndex(":"), 0f));
            scale /= 2;
            goodSteps = 0;
        } else if (++goodSteps == GROWTH_INTERVAL) {
            scale *= 2;
            goodSteps = 0;
        }
        return finite;
    }
}
