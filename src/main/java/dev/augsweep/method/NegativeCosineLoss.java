package dev.augsweep.method;

import ai.djl.ndarray.NDArray;

/** SimSiam's criterion: minus the mean cosine similarity of paired rows. */
public final class NegativeCosineLoss {
    private NegativeCosineLoss() {
    }

    public static NDArray compute(NDArray p, NDArray z) {
        return p.normalize(2, 1).mul(z.normalize(2, 1)).sum(new int[] {1}).mean().neg();
    }
}
