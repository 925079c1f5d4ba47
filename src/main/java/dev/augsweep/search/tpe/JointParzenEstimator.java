package dev.augsweep.search.tpe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Optuna 3.1's multivariate {@code _ParzenEstimator} ({@code TPESampler(multivariate=True)}): one component per
 * observation over all settings at once, so a proposal keeps the settings that went together in a good trial
 * together (a univariate estimator mixes one trial's lr with another's strength). Each dimension is a
 * {@link ParzenEstimator} whose bandwidth is Scott's rule, {@code 0.2 * n^(-1/(d + 4))} of its range (the BOHB
 * paper's); a candidate draws one component for all dimensions, and a component's density is the product of its
 * dimensions' kernels.
 */
final class JointParzenEstimator {
    private static final double SIGMA0_MAGNITUDE = 0.2; // Optuna's constant factor for Scott's rule

    private final List<ParzenEstimator> dimensions;

    /**
     * The estimator over {@code observations[d][i]}: setting {@code parameters.get(d)}'s internal value in observation
     * {@code i} (chronological order, none missing), with a prior component of weight {@code priorWeight}.
     */
    JointParzenEstimator(List<TpeParameter> parameters, double[][] observations, double priorWeight) {
        int n = observations[0].length;
        double sigma0 = SIGMA0_MAGNITUDE * Libm.pow(Math.max(n, 1), -1.0 / (parameters.size() + 4));
        List<ParzenEstimator> d = new ArrayList<>();
        for (int p = 0; p < parameters.size(); p++) {
            d.add(ParzenEstimator.scott(parameters.get(p), observations[p], priorWeight, sigma0));
        }
        this.dimensions = List.copyOf(d);
    }

    /**
     * {@code size} candidates, {@code [setting][candidate]}: the components first ({@code size} doubles), then each
     * setting's draws in order ({@code size} doubles each), as {@code _ParzenEstimator.sample} takes them.
     */
    double[][] sample(MersenneTwister rng, int size) {
        int[] active = dimensions.get(0).components(rng, size);
        double[][] out = new double[dimensions.size()][];
        for (int p = 0; p < out.length; p++) {
            out[p] = dimensions.get(p).sample(rng, active);
        }
        return out;
    }

    /**
     * The log density at each candidate of {@code xs} ({@code [setting][candidate]}), as Optuna's {@code log_pdf}:
     * each component's log kernels summed over the settings in order, plus its log weight, then a log-sum-exp. One
     * choice alone takes Optuna's fast path, which is the univariate estimator's.
     */
    double[] logPdf(double[][] xs) {
        ParzenEstimator first = dimensions.get(0);
        if (dimensions.size() == 1 && first.isChoice()) {
            return first.logPdf(xs[0]);
        }
        double[] logWeights = first.logWeights();
        int m = logWeights.length;
        double[] terms = new double[m];
        double[] out = new double[xs[0].length];
        for (int s = 0; s < out.length; s++) {
            Arrays.fill(terms, 0.0);
            for (int p = 0; p < xs.length; p++) {
                dimensions.get(p).addKernelLogPdf(xs[p][s], terms);
            }
            for (int i = 0; i < m; i++) {
                terms[i] += logWeights[i];
            }
            out[s] = ParzenEstimator.logSumExp(terms, m);
        }
        return out;
    }
}
