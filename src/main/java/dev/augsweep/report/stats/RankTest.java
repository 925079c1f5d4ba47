package dev.augsweep.report.stats;

import java.util.Locale;
import java.util.function.BiFunction;
import org.apache.commons.math3.stat.correlation.KendallsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

/**
 * A rank correlation with its exact one-sided permutation p-value: the share of all orderings of the second sample
 * whose coefficient is at least the observed one. Over the 4-5 rows of a table a perfect order is no evidence on
 * its own (Spearman 1.00 over 4 rows happens 1 time in 24 by chance), so the coefficient never goes without it.
 * Exact up to {@link #MAX_EXACT} rows (9! orderings); NaN beyond.
 */
public record RankTest(double coefficient, double p, int n) {
    public static final int MAX_EXACT = 9;

    /** Spearman's rho (average ranks for ties). */
    public static RankTest spearman(double[] x, double[] y) {
        return test(x, y, RankTest::rho);
    }

    /** Kendall's tau-b. */
    public static RankTest kendall(double[] x, double[] y) {
        return test(x, y, RankTest::tau);
    }

    /** "0.90 (p 0.042)". */
    public String describe() {
        if (Double.isNaN(coefficient)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.2f (p %s)", coefficient, Double.isNaN(p) ? "n/a" : pText(p));
    }

    public static String pText(double p) {
        return p < 0.001 ? "<0.001" : String.format(Locale.ROOT, "%.3f", p);
    }

    private static RankTest test(double[] x, double[] y, BiFunction<double[], double[], Double> statistic) {
        int n = x.length;
        double observed = n < 2 ? Double.NaN : statistic.apply(x, y);
        if (Double.isNaN(observed) || n > MAX_EXACT) {
            return new RankTest(observed, Double.NaN, n);
        }
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        double[] shuffled = new double[n];
        long atLeast = 0;
        long total = 0;
        do {
            for (int i = 0; i < n; i++) {
                shuffled[i] = y[perm[i]];
            }
            double v = statistic.apply(x, shuffled);
            atLeast += !Double.isNaN(v) && v >= observed - 1e-12 ? 1 : 0;
            total++;
        } while (nextPermutation(perm));
        return new RankTest(observed, (double) atLeast / total, n);
    }

    private static double rho(double[] x, double[] y) {
        return spread(x) && spread(y) ? new SpearmansCorrelation().correlation(x, y) : Double.NaN;
    }

    private static double tau(double[] x, double[] y) {
        return spread(x) && spread(y) ? new KendallsCorrelation().correlation(x, y) : Double.NaN;
    }

    private static boolean spread(double[] v) {
        for (double d : v) {
            if (d != v[0]) {
                return true;
            }
        }
        return false;
    }

    /** Lexicographic next permutation in place; false after the last. */
    private static boolean nextPermutation(int[] a) {
        int i = a.length - 2;
        while (i >= 0 && a[i] >= a[i + 1]) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        int j = a.length - 1;
        while (a[j] <= a[i]) {
            j--;
        }
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
        for (int l = i + 1, r = a.length - 1; l < r; l++, r--) {
            t = a[l];
            a[l] = a[r];
            a[r] = t;
        }
        return true;
    }
}
