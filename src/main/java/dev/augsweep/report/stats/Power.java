package dev.augsweep.report.stats;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;

/**
 * How many seeds a t-test needs to find a difference of a given size 80% of the time, by the exact power of the
 * noncentral t (what SciPy's {@code stats.nct} gives; commons-math has no noncentral t). The shifted central t that
 * stood here before errs low at the strict levels a corrected family uses (16 seeds instead of 17 at
 * difference/spread 1 over 7 steps), so it asked for too few.
 *
 * <p>The noncentral t's distribution function is Lenth's algorithm AS 243 (Applied Statistics 38, 1989, 185-189):
 * a Poisson mixture of incomplete beta functions, of which only the first two are computed, the rest by recurrence.
 */
public final class Power {
    public static final double TARGET = 0.8;
    private static final int MAX_SEEDS = 1000;
    private static final double ERROR = 1e-12;
    private static final int MAX_TERMS = 1000;
    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    private Power() {
    }

    /** Seeds for a paired test of a mean difference {@code d} whose per-seed differences have sd {@code sd}. */
    public static Integer pairedSeeds(double d, double sd, double alpha) {
        if (!(Math.abs(d) > 0) || !(sd > 0)) {
            return null;
        }
        return fewestSeeds(n -> pairedPower(n, Math.abs(d) / sd, alpha));
    }

    /** Seeds per cell for Welch's test of a difference {@code d} between cells with sds {@code sd1}, {@code sd2}. */
    public static Integer welchSeeds(double d, double sd1, double sd2, double alpha) {
        double v = sd1 * sd1 + sd2 * sd2;
        if (!(Math.abs(d) > 0) || !(v > 0)) {
            return null;
        }
        return fewestSeeds(n -> power((n - 1) * v * v / (Math.pow(sd1, 4) + Math.pow(sd2, 4)),
                Math.abs(d) / Math.sqrt(v / n), alpha));
    }

    /** Power of a paired test over {@code seeds} seeds of a difference {@code ratio} times its per-seed sd. */
    public static double pairedPower(int seeds, double ratio, double alpha) {
        return power(seeds - 1, ratio * Math.sqrt(seeds), alpha);
    }

    /** The smallest difference, in per-seed sds, that a paired test over {@code seeds} seeds finds 80% of the time. */
    public static double pairedRatioFor80(int seeds, double alpha) {
        double low = 0;
        double high = 1;
        while (pairedPower(seeds, high, alpha) < TARGET) {
            low = high;
            high *= 2;
        }
        while (high - low > 1e-9) { // power rises with the ratio
            double mid = (low + high) / 2;
            if (pairedPower(seeds, mid, alpha) >= TARGET) {
                high = mid;
            } else {
                low = mid;
            }
        }
        return high;
    }

    private interface PowerAt {
        double of(int seeds);
    }

    /** The fewest seeds reaching the target: power rises with the seeds, so a doubling and then a bisection. */
    private static Integer fewestSeeds(PowerAt power) {
        int low = 1; // below the target (a test needs 2 seeds)
        int high = 2;
        while (power.of(high) < TARGET) {
            if (high == MAX_SEEDS) {
                return null;
            }
            low = high;
            high = Math.min(2 * high, MAX_SEEDS);
        }
        while (high - low > 1) {
            int mid = (low + high) / 2;
            if (power.of(mid) >= TARGET) {
                high = mid;
            } else {
                low = mid;
            }
        }
        return high;
    }

    /** Two-sided power of a t-test with {@code df} degrees of freedom and noncentrality {@code ncp} at {@code alpha}. */
    static double power(double df, double ncp, double alpha) {
        double c = new TDistribution(null, df).inverseCumulativeProbability(1 - alpha / 2);
        return 1 - noncentralT(c, df, ncp) + noncentralT(-c, df, ncp);
    }

    /** P(T <= t) for the noncentral t with {@code df} degrees of freedom and noncentrality {@code ncp}. */
    static double noncentralT(double t, double df, double ncp) {
        // T <= t is -T >= -t, and -T is noncentral t with -ncp: the series below wants t >= 0
        boolean flipped = t < 0;
        double x = Math.abs(t);
        double delta = flipped ? -ncp : ncp;
        double upTo;
        if (delta * delta > 1400) { // the Poisson weights underflow: Abramowitz & Stegun 26.7.10 is exact enough there
            double s = 1 / (4 * df);
            upTo = new NormalDistribution(null, delta, Math.sqrt(1 + x * x * 2 * s)).cumulativeProbability(x * (1 - s));
        } else {
            upTo = series(x, df, delta) + NORMAL.cumulativeProbability(-delta);
        }
        upTo = Math.min(upTo, 1);
        return flipped ? 1 - upTo : upTo;
    }

    /** AS 243's twin series: P(0 <= T <= x) for x >= 0, less P(Z <= -delta). */
    private static double series(double x, double df, double delta) {
        if (x == 0) {
            return 0;
        }
        double y = x * x / (x * x + df);
        double rest = df / (x * x + df); // 1 - y, without its rounding where x * x is small against df
        double lambda = delta * delta;
        double p = 0.5 * Math.exp(-0.5 * lambda); // Poisson weights, odd and even terms
        double q = Math.sqrt(2 / Math.PI) * p * delta;
        // the Poisson weight not yet summed, 0.5 - p, accurately where it is small
        double left = 0.5 - p < 1e-7 ? -0.5 * Math.expm1(-0.5 * lambda) : 0.5 - p;
        double a = 0.5;
        double b = 0.5 * df;
        double restPowB = Math.pow(rest, b);
        double logBeta = 0.5 * Math.log(Math.PI) + Gamma.logGamma(b) - Gamma.logGamma(0.5 + b);
        double odd = Beta.regularizedBeta(y, a, b);
        double oddStep = 2 * restPowB * Math.exp(a * Math.log(y) - logBeta);
        double even = b * y < Math.ulp(1.0) ? b * y : 1 - restPowB;
        double evenStep = b * y * restPowB;
        double sum = p * odd + q * even;
        for (int k = 1; k <= MAX_TERMS; k++) {
            a += 1;
            odd -= oddStep;
            even -= evenStep;
            oddStep *= y * (a + b - 1) / a;
            evenStep *= y * (a + b - 0.5) / (a + 0.5);
            p *= lambda / (2 * k);
            q *= lambda / (2 * k + 1);
            sum += p * odd + q * even;
            left -= p;
            if (left <= 0 && k > 1 || Math.abs(2 * left * (odd - oddStep)) < ERROR) {
                break;
            }
        }
        return sum;
    }
}
