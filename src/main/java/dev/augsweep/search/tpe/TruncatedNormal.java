package dev.augsweep.search.tpe;

/**
 * The truncated standard normal as Optuna 3.1 computes it ({@code samplers/_tpe/_truncnorm.py}, itself from SciPy):
 * bounds {@code a, b} are in standard units. The formulas, branch points and iteration counts are copied on purpose,
 * including the 100-step bisection in {@link #ndtriExp}, because TPE's proposals depend on these exact numbers.
 */
final class TruncatedNormal {
    private TruncatedNormal() {
    }

    private static final double SQRT2 = Math.sqrt(2.0); // Python's 2**0.5, correctly rounded in both
    private static final double LOG_SQRT_2PI = Libm.log(Math.sqrt(2 * Math.PI)); // _norm_pdf_logC
    private static final double HALF_LOG_2PI = 0.5 * Libm.log(2 * Math.PI);
    private static final double LOGE2 = 0.693147180559945309417232121458176568; // numpy NPY_LOGE2
    private static final double EPSILON = Math.ulp(1.0); // sys.float_info.epsilon

    /** Standard normal CDF, scalar path ({@code _ndtr_single}): erfc in the tails keeps it accurate there. */
    static double ndtr(double a) {
        double x = a / SQRT2;
        if (x < -1 / SQRT2) {
            return 0.5 * Erf.erfc(-x);
        }
        if (x < 1 / SQRT2) {
            return 0.5 + 0.5 * Erf.erf(x);
        }
        return 1.0 - 0.5 * Erf.erfc(x);
    }

    /** Standard normal CDF, vectorised path ({@code _ndtr}), used only for central interval masses. */
    static double ndtrVector(double a) {
        return 0.5 + 0.5 * Erf.optunaErf(a / SQRT2);
    }

    /** log Phi(a) ({@code _log_ndtr_single}), with SciPy's asymptotic series below -20. */
    static double logNdtr(double a) {
        if (a > 6) {
            return -ndtr(-a);
        }
        if (a > -20) {
            return Libm.log(ndtr(a));
        }
        double logLhs = -0.5 * (a * a) - Libm.log(-a) - HALF_LOG_2PI;
        double lastTotal = 0.0;
        double rightHandSide = 1.0;
        double numerator = 1.0;
        double denomFactor = 1.0;
        double denomCons = 1 / (a * a);
        int sign = 1;
        int i = 0;
        while (Math.abs(lastTotal - rightHandSide) > EPSILON) {
            i += 1;
            lastTotal = rightHandSide;
            sign = -sign;
            denomFactor *= denomCons;
            numerator *= 2 * i - 1;
            rightHandSide += sign * numerator * denomFactor;
        }
        return logLhs + Libm.log(rightHandSide);
    }

    /** log(Phi(b) - Phi(a)), worked in the left tail by symmetry ({@code _log_gauss_mass}). */
    static double logGaussMass(double a, double b) {
        if (b <= 0) {
            return logDiff(logNdtr(b), logNdtr(a));
        }
        if (a > 0) {
            return logDiff(logNdtr(-a), logNdtr(-b));
        }
        return Libm.log1p(-ndtrVector(a) - ndtrVector(-b));
    }

    private static double logDiff(double logP, double logQ) {
        return logP + Libm.log1p(-Libm.exp(logQ - logP));
    }

    /** numpy's {@code logaddexp}. */
    static double logAddExp(double x, double y) {
        if (x == y) {
            return x + LOGE2;
        }
        double tmp = x - y;
        if (tmp > 0) {
            return x + Libm.log1p(Libm.exp(-tmp));
        }
        if (tmp <= 0) {
            return y + Libm.log1p(Libm.exp(tmp));
        }
        return tmp; // NaN
    }

    /** The x with log Phi(x) = y, by Optuna 3.1's 100-step bisection on [-100, 100] ({@code _ndtri_exp_single}). */
    static double ndtriExp(double y) {
        double lo = -100;
        double hi = 100;
        if (logNdtr(lo) > y) {
            double t = lo;
            lo = hi;
            hi = t;
        }
        double m = 0;
        for (int k = 0; k < 100; k++) {
            m = (lo + hi) / 2;
            if (logNdtr(m) < y) {
                lo = m;
            } else {
                hi = m;
            }
        }
        return m;
    }

    /** Quantile {@code q} of the standard normal truncated to [a, b] ({@code ppf}). */
    static double ppf(double q, double a, double b) {
        if (a == b) {
            return Double.NaN;
        }
        if (q == 0) {
            return a;
        }
        if (q == 1) {
            return b;
        }
        if (a < 0) {
            return ndtriExp(logAddExp(logNdtr(a), Libm.log(q) + logGaussMass(a, b)));
        }
        return -ndtriExp(logAddExp(logNdtr(-b), Libm.log1p(-q) + logGaussMass(a, b)));
    }

    /**
     * Optuna 3.1's {@code truncnorm.logpdf} at standardised {@code z} given the precomputed {@code logGaussMass(a, b)}:
     * note it lacks the {@code -log(scale)} term (a 3.1 bug, fixed in 3.5), reproduced on purpose.
     */
    static double logPdf31(double z, double a, double b, double logMass) {
        if (a == b) {
            return Double.NaN;
        }
        if (z < a || b < z) {
            return Double.NEGATIVE_INFINITY;
        }
        return -(z * z) / 2.0 - LOG_SQRT_2PI - logMass;
    }

    static double logSqrt2Pi() {
        return LOG_SQRT_2PI;
    }
}
