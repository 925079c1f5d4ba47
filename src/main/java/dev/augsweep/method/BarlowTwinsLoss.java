package dev.augsweep.method;

import ai.djl.ndarray.NDArray;

/**
 * Barlow Twins: standardise each dimension over the batch (unbiased std), C = z0'z1 / N, loss
 * sum_i (1 - C_ii)^2 + lambda sum_{i != j} C_ij^2.
 */
public final class BarlowTwinsLoss {
    private BarlowTwinsLoss() {
    }

    public static NDArray compute(NDArray z0, NDArray z1, double lambda) {
        long n = z0.getShape().get(0);
        long d = z0.getShape().get(1);
        NDArray c = standardise(z0).transpose().matMul(standardise(z1)).div((float) n);
        NDArray eye = c.getManager().eye(Math.toIntExact(d)).toDevice(c.getDevice(), false);
        NDArray weights = eye.mul((float) (1 - lambda)).add((float) lambda);
        return c.sub(eye).square().mul(weights).sum();
    }

    private static NDArray standardise(NDArray z) {
        long n = z.getShape().get(0);
        NDArray centred = z.sub(z.mean(new int[] {0}, true));
        NDArray std = centred.square().sum(new int[] {0}, true).div((float) (n - 1)).sqrt();
        return centred.div(std);
    }
}
