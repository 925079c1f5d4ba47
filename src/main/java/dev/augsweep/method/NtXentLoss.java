package dev.augsweep.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * SimCLR's NT-Xent (lightly's NTXentLoss without memory bank): each of the 2N views has its other view as
 * positive and the other 2N-2 views as negatives, cosine similarity over a temperature, mean cross-entropy.
 */
public final class NtXentLoss {
    /** Added to a view's similarity with itself so softmax gives it no weight (exp underflows to 0). */
    private static final float SELF_MASK = 1e9f;

    private NtXentLoss() {
    }

    public static NDArray compute(NDArray z0, NDArray z1, double temperature) {
        NDManager m = z0.getManager();
        long n = z0.getShape().get(0);
        int twoN = Math.toIntExact(2 * n);
        NDArray z = NDArrays.concat(new NDList(z0, z1), 0).normalize(2, 1);
        NDArray sim = z.matMul(z.transpose()).div((float) temperature)
                .sub(m.eye(twoN).toDevice(z.getDevice(), false).mul(SELF_MASK));
        long[] positive = new long[twoN];
        for (int i = 0; i < twoN; i++) {
            positive[i] = (i + n) % twoN;
        }
        NDArray index = m.create(positive, new Shape(twoN, 1)).toDevice(z.getDevice(), false);
        return sim.logSoftmax(1).gather(index, 1).mean().neg();
    }
}
