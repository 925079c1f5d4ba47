package dev.augsweep.method;

import dev.augsweep.config.MethodParams;

/**
 * The scale a method's loss is computed from, for judging how far two computations of it may differ. Each loss is a
 * smooth function of dot products of the networks' outputs (cosines, logits, cross-correlations); if every product
 * in them moves by a relative e, the loss moves by at most about e * M, where M is the sum over the loss's inputs of
 * |dL/dt| times the absolute sum of the products that make up t. A cosine of unit vectors has products summing to
 * at most 1 (Cauchy-Schwarz) however close to 0 it is, so M does not vanish where the loss does: SimSiam's loss at
 * initialisation is about 0.002, and rounding of its terms of size 1 would read as percents of it.
 */
public final class LossSensitivity {
    private LossSensitivity() {
    }

    /** M for {@code method}'s loss at the value {@code loss} (Barlow Twins' depends on it; the others' do not). */
    public static double of(String method, MethodParams p, double loss) {
        return switch (method) {
            // -mean over pairs of cos(p, z): each cosine's products sum to at most 1 in absolute value.
            case "simsiam" -> 1;
            // Softmax cross-entropy: dL/dlogits is (softmax - one-hot), of l1 norm at most 2 per row, and each logit
            // is a cosine over the temperature, its products summing to at most 1/t.
            case "simclr" -> 2 / p.simclrTemperature();
            case "moco" -> 2 / p.mocoTemperature();
            // sum_i (1 - C_ii)^2 + lambda sum_{i!=j} C_ij^2 over d dimensions: dL/dC is 2(C_ii - 1) and 2 lambda C_ij,
            // and each C_ij's products (standardised columns over the batch) sum to at most 1. By Cauchy-Schwarz
            // sum |1 - C_ii| <= sqrt(d L) and lambda sum |C_ij| <= sqrt(lambda) d sqrt(L).
            case "barlowtwins" -> {
                int d = p.barlowProjectionDim();
                yield 2 * (Math.sqrt(d) + Math.sqrt(p.barlowLambda()) * d) * Math.sqrt(Math.abs(loss));
            }
            default -> throw new IllegalArgumentException("no loss sensitivity for method " + method);
        };
    }
}
