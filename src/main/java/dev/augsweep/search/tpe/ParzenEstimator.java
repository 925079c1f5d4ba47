package dev.augsweep.search.tpe;

/**
 * Optuna 3.1's {@code _ParzenEstimator} for one setting: a weighted mixture of one kernel per observation plus a prior
 * kernel (the last component). Numeric settings get truncated-normal kernels whose bandwidth is, univariate, the
 * larger gap to a sorted neighbour (the prior's centre takes part) or, as one dimension of a multivariate estimator
 * ({@link JointParzenEstimator}), Scott's rule's share of the range; either is clipped by the "magic clip". A choice
 * gets one categorical kernel per observation (+1 on the observed choice over a flat prior). Defaults as Optuna's:
 * consider_prior, prior_weight, consider_magic_clip, consider_endpoints = false, {@link #defaultWeights}.
 *
 * <p>Values going in and out are "internal" numbers (see {@link TpeParameter#internal}); log-scale settings are
 * modelled on ln(x), as Optuna does.
 */
final class ParzenEstimator {
    private static final double EXP_UNDERFLOW = -745.2; // exp(x) rounds to 0 below about -745.13: skipping the call changes no bit

    private final TpeParameter parameter;
    private final double[] weights;
    private final double[] logWeights;
    // numeric settings: one kernel per component
    private final double[] mus;
    private final double[] sigmas;
    private final double[] lowStd; // (low - mu) / sigma
    private final double[] highStd;
    private final double[] logMass; // log_gauss_mass(lowStd, highStd)
    private final int[] kernelClass; // index into classMu/classSigma: equal (mu, sigma) share cell masses
    private final double[] classMu;
    private final double[] classSigma;
    // a choice: row i is kernel i's distribution over the choices
    private final double[][] choiceWeights;
    private final double[] logChoiceDensity;

    /**
     * The univariate estimator over {@code observations} (internal values, chronological order, none missing),
     * weighted by {@link #defaultWeights}, with a prior kernel of weight {@code priorWeight}.
     */
    ParzenEstimator(TpeParameter parameter, double[] observations, double priorWeight) {
        this(parameter, observations, priorWeight, Double.NaN);
    }

    /**
     * One dimension of a multivariate estimator: as the univariate one, but every observation's kernel has bandwidth
     * {@code sigma0 * (high - low)} (Optuna's {@code _precompute_sigmas0}: Scott's rule, as in the BOHB paper).
     */
    static ParzenEstimator scott(TpeParameter parameter, double[] observations, double priorWeight, double sigma0) {
        return new ParzenEstimator(parameter, observations, priorWeight, sigma0);
    }

    private ParzenEstimator(TpeParameter parameter, double[] observations, double priorWeight, double sigma0) {
        this.parameter = parameter;
        int n = observations.length;
        double[] w = new double[n + 1];
        System.arraycopy(defaultWeights(n), 0, w, 0, n);
        w[n] = priorWeight;
        double total = Numpy.sum(w);
        for (int i = 0; i <= n; i++) {
            w[i] /= total;
        }
        weights = w;
        logWeights = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            logWeights[i] = Libm.log(w[i]);
        }
        if (parameter.kind() == TpeParameter.Kind.CATEGORICAL) {
            choiceWeights = categoricalWeights(observations, parameter.choices().size(), priorWeight);
            logChoiceDensity = logChoiceDensity(choiceWeights, weights);
            mus = sigmas = lowStd = highStd = logMass = classMu = classSigma = null;
            kernelClass = null;
            return;
        }
        choiceWeights = null;
        logChoiceDensity = null;
        double low = parameter.parzenLow();
        double high = parameter.parzenHigh();
        int m = n + 1;
        mus = new double[m];
        for (int i = 0; i < n; i++) {
            mus[i] = parameter.kind() == TpeParameter.Kind.LOG_FLOAT ? Libm.log(observations[i]) : observations[i];
        }
        mus[n] = 0.5 * (low + high);
        int[] order = Numpy.argsort(mus); // numpy's tie order decides which tied kernel gets which bandwidth
        if (Double.isNaN(sigma0)) {
            sigmas = neighbourBandwidths(mus, order, low, high);
        } else {
            sigmas = new double[m];
            java.util.Arrays.fill(sigmas, sigma0 * (high - low));
        }
        double maxSigma = 1.0 * (high - low);
        double minSigma = 1.0 * (high - low) / Math.min(100.0, 1.0 + m);
        for (int i = 0; i < m; i++) {
            sigmas[i] = Math.min(Math.max(sigmas[i], minSigma), maxSigma); // np.clip
        }
        sigmas[n] = 1.0 * (high - low); // the prior's bandwidth is set after the clip
        lowStd = new double[m];
        highStd = new double[m];
        logMass = new double[m];
        for (int i = 0; i < m; i++) {
            lowStd[i] = (low - mus[i]) / sigmas[i];
            highStd[i] = (high - mus[i]) / sigmas[i];
            logMass[i] = TruncatedNormal.logGaussMass(lowStd[i], highStd[i]);
        }
        if (parameter.discrete()) {
            // Many int observations repeat, so kernels repeat: each distinct (mu, sigma) needs its cell mass only once.
            // Equal kernels sit side by side in sorted order, so one pass over it groups them.
            kernelClass = new int[m];
            double[] cm = new double[m];
            double[] cs = new double[m];
            int classes = 0;
            for (int r = 0; r < m; r++) {
                int i = order[r];
                if (classes == 0 || cm[classes - 1] != mus[i] || cs[classes - 1] != sigmas[i]) {
                    cm[classes] = mus[i];
                    cs[classes] = sigmas[i];
                    classes++;
                }
                kernelClass[i] = classes - 1;
            }
            classMu = java.util.Arrays.copyOf(cm, classes);
            classSigma = java.util.Arrays.copyOf(cs, classes);
        } else {
            kernelClass = null;
            classMu = classSigma = null;
        }
    }

    /** Optuna's {@code default_weights}: flat up to 25 observations, then a linear ramp for all but the newest 25. */
    static double[] defaultWeights(int n) {
        double[] w = new double[n];
        if (n < 25) {
            java.util.Arrays.fill(w, 1.0);
            return w;
        }
        double[] ramp = Numpy.linspace(1.0 / n, 1.0, n - 25);
        System.arraycopy(ramp, 0, w, 0, n - 25);
        java.util.Arrays.fill(w, n - 25, n, 1.0);
        return w;
    }

    /**
     * Each kernel's bandwidth: the larger distance to its sorted neighbours (the bounds count as neighbours), except
     * that the outermost kernels use their inner neighbour only (consider_endpoints = false).
     */
    private static double[] neighbourBandwidths(double[] mus, int[] order, double low, double high) {
        int m = mus.length;
        double[] e = new double[m + 2];
        e[0] = low;
        for (int i = 0; i < m; i++) {
            e[i + 1] = mus[order[i]];
        }
        e[m + 1] = high;
        double[] sorted = new double[m];
        for (int i = 0; i < m; i++) {
            sorted[i] = numpyMax(e[i + 1] - e[i], e[i + 2] - e[i + 1]);
        }
        if (m + 2 >= 4) {
            sorted[0] = e[2] - e[1];
            sorted[m - 1] = e[m] - e[m - 1];
        }
        double[] out = new double[m];
        for (int i = 0; i < m; i++) {
            out[order[i]] = sorted[i];
        }
        return out;
    }

    /** np.maximum: NaN wins. */
    private static double numpyMax(double a, double b) {
        return a >= b || a != a ? a : b;
    }

    private static double[][] categoricalWeights(double[] observations, int k, double priorWeight) {
        int n = observations.length;
        double[][] cw = new double[n + 1][k];
        double fill = priorWeight / (n + 1);
        for (double[] row : cw) {
            java.util.Arrays.fill(row, fill);
        }
        for (int i = 0; i < n; i++) {
            cw[i][(int) observations[i]] += 1;
        }
        for (double[] row : cw) {
            double s = Numpy.sum(row);
            for (int c = 0; c < k; c++) {
                row[c] /= s;
            }
        }
        return cw;
    }

    /** log(sum_i w_i * P_i(c)) per choice c (Optuna's one-categorical fast path). */
    private static double[] logChoiceDensity(double[][] cw, double[] w) {
        int k = cw[0].length;
        double[] out = new double[k];
        for (int c = 0; c < k; c++) {
            double s = 0;
            for (int i = 0; i < w.length; i++) {
                s += cw[i][c] * w[i];
            }
            out[c] = Libm.log(s);
        }
        return out;
    }

    int components() {
        return weights.length;
    }

    /**
     * {@code size} draws, as {@code _ParzenEstimator.sample}: first the components ({@code size} doubles from
     * {@code rng}), then one uniform per draw ({@code size} more) turned into a value by the component's inverse CDF.
     * Numeric results are rounded to the setting's grid (ints) or exponentiated (log scale); a choice gives its index.
     */
    double[] sample(MersenneTwister rng, int size) {
        return sample(rng, components(rng, size));
    }

    /** {@code size} components drawn by weight ({@code size} doubles from {@code rng}, as numpy's choice). */
    int[] components(MersenneTwister rng, int size) {
        return rng.choice(weights, size);
    }

    /** One draw from each of the {@code active} components (one double each from {@code rng}), as {@link #sample}. */
    double[] sample(MersenneTwister rng, int[] active) {
        int size = active.length;
        double[] out = new double[size];
        if (choiceWeights != null) {
            int k = choiceWeights[0].length;
            for (int s = 0; s < size; s++) {
                double u = rng.randomSample();
                double[] row = choiceWeights[active[s]];
                double cum = 0;
                int below = 0;
                for (int c = 0; c < k; c++) {
                    cum += row[c];
                    if (cum < u) {
                        below++;
                    }
                }
                out[s] = Math.min(below, k - 1); // numpy could index past the end on rounding; Optuna would fail
            }
            return out;
        }
        for (int s = 0; s < size; s++) {
            int i = active[s];
            double u = rng.randomSample(); // uniform(0, 1) == 0 + 1 * random_sample, exactly
            double z = TruncatedNormal.ppf(u, lowStd[i], highStd[i]) * sigmas[i] + mus[i];
            out[s] = fromUniform(z);
        }
        return out;
    }

    /** {@code _transform_from_uniform}. */
    private double fromUniform(double z) {
        return switch (parameter.kind()) {
            case FLOAT -> z;
            case LOG_FLOAT -> Libm.exp(z);
            case INT -> {
                double q = parameter.step();
                double v = Math.rint((z - parameter.low()) / q) * q + parameter.low();
                yield Math.min(Math.max(v, parameter.low()), parameter.high());
            }
            case CATEGORICAL -> throw new IllegalStateException();
        };
    }

    double[] logWeights() {
        return logWeights;
    }

    boolean isChoice() {
        return choiceWeights != null;
    }

    /**
     * Adds each kernel's log density at {@code x} (a value as {@link #sample} gives it) to {@code terms}, one per
     * component, as a column of Optuna's {@code component_log_pdf}: NaN and -inf as its truncated normal gives them.
     */
    void addKernelLogPdf(double x, double[] terms) {
        int m = weights.length;
        if (choiceWeights != null) {
            for (int i = 0; i < m; i++) {
                terms[i] += Libm.log(choiceWeights[i][(int) x]);
            }
            return;
        }
        double y = parameter.kind() == TpeParameter.Kind.LOG_FLOAT ? Libm.log(x) : x;
        if (kernelClass == null) {
            for (int i = 0; i < m; i++) {
                terms[i] += TruncatedNormal.logPdf31((y - mus[i]) / sigmas[i], lowStd[i], highStd[i], logMass[i]);
            }
            return;
        }
        double q = parameter.step();
        double ub = Math.min(y + q / 2.0, parameter.parzenHigh());
        double lb = Math.max(y - q / 2.0, parameter.parzenLow());
        for (int i = 0; i < m; i++) {
            terms[i] += TruncatedNormal.logGaussMass((lb - mus[i]) / sigmas[i], (ub - mus[i]) / sigmas[i]) - logMass[i];
        }
    }

    /**
     * The mixture's log density at each of {@code xs} (values as {@link #sample} gives them), as Optuna 3.1's
     * {@code log_pdf}: continuous kernels use its truncated-normal log pdf without {@code -log(sigma)}; discrete ones
     * the probability of the rounding cell; the mixture is a max-shifted log-sum-exp with numpy's pairwise sum.
     * Equal inputs give equal outputs, so repeated candidates are evaluated once.
     */
    double[] logPdf(double[] xs) {
        double[] out = new double[xs.length];
        if (logChoiceDensity != null) {
            for (int s = 0; s < xs.length; s++) {
                out[s] = logChoiceDensity[(int) xs[s]];
            }
            return out;
        }
        int m = weights.length;
        double[] terms = new double[m];
        double[] classTerm = kernelClass == null ? null : new double[classMu.length];
        for (int s = 0; s < xs.length; s++) {
            int same = firstEqual(xs, s);
            if (same < s) {
                out[s] = out[same];
                continue;
            }
            double y = parameter.kind() == TpeParameter.Kind.LOG_FLOAT ? Libm.log(xs[s]) : xs[s];
            if (kernelClass == null && y >= parameter.parzenLow() && y <= parameter.parzenHigh()) {
                // y inside the bounds is inside every kernel's truncation ((y - mu) / sigma is monotone in y, also
                // in floating point), so no term is -inf: a branch-free loop the JIT can vectorise, same bits.
                double c = TruncatedNormal.logSqrt2Pi();
                for (int i = 0; i < m; i++) {
                    double z = (y - mus[i]) / sigmas[i];
                    terms[i] = ((-(z * z) / 2.0 - c) - logMass[i]) + logWeights[i];
                }
            } else if (kernelClass == null) {
                for (int i = 0; i < m; i++) {
                    double z = (y - mus[i]) / sigmas[i];
                    terms[i] = TruncatedNormal.logPdf31(z, lowStd[i], highStd[i], logMass[i]) + logWeights[i];
                }
            } else {
                double q = parameter.step();
                double ub = Math.min(y + q / 2.0, parameter.parzenHigh());
                double lb = Math.max(y - q / 2.0, parameter.parzenLow());
                for (int c = 0; c < classTerm.length; c++) {
                    classTerm[c] = TruncatedNormal.logGaussMass((lb - classMu[c]) / classSigma[c],
                            (ub - classMu[c]) / classSigma[c]);
                }
                for (int i = 0; i < m; i++) {
                    terms[i] = (classTerm[kernelClass[i]] - logMass[i]) + logWeights[i];
                }
            }
            out[s] = logSumExp(terms, m);
        }
        return out;
    }

    /**
     * log(sum(exp(terms[0..m)))) as Optuna's log_pdf takes it: shifted by the maximum, numpy's pairwise sum; NaN if any
     * term is. Overwrites {@code terms}.
     */
    static double logSumExp(double[] terms, int m) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < m; i++) {
            double t = terms[i];
            if (t > max) {
                max = t;
            } else if (t != t) {
                return Double.NaN;
            }
        }
        for (int i = 0; i < m; i++) {
            double d = terms[i] - max;
            // below exp's underflow threshold the result is exactly 0: skip the call, same bits
            terms[i] = d < EXP_UNDERFLOW ? 0.0 : Libm.exp(d);
        }
        return Libm.log(Numpy.sum(terms, 0, m)) + max;
    }

    private static int firstEqual(double[] xs, int s) {
        for (int j = 0; j < s; j++) {
            if (xs[j] == xs[s]) {
                return j;
            }
        }
        return s;
    }
}
