package dev.augsweep.report.stats;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.descriptive.StatisticalSummaryValues;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * Two cells' accuracies compared: the difference of means (first minus second) with its 95% confidence interval and
 * two-sided p-value. Paired by seed where the cells share at least three seeds: trials with one seed start from the
 * same weights and see the data in the same order, so their difference removes that shared luck. Welch's test
 * otherwise (unequal variances), on all of each cell's seeds.
 *
 * @param sdFirst  paired: the standard deviation of the per-seed differences; Welch: the first cell's (sample) sd
 * @param sdSecond paired: NaN; Welch: the second cell's sample sd
 */
public record Comparison(Kind kind, int n, double difference, double low, double high, double p, double sdFirst,
                         double sdSecond) {
    private static final double CONFIDENCE = 0.95;
    private static final int PAIRED_MIN = 3;

    public enum Kind {
        PAIRED, WELCH
    }

    /** The paper's protocol comparison of two cells (per seed accuracy); null when either has fewer than 2 seeds. */
    public static Comparison of(Map<Integer, Double> first, Map<Integer, Double> second) {
        List<Integer> shared = first.keySet().stream().filter(second::containsKey).sorted().toList();
        if (shared.size() >= PAIRED_MIN) {
            return paired(shared.stream().mapToDouble(first::get).toArray(),
                    shared.stream().mapToDouble(second::get).toArray());
        }
        if (first.size() < 2 || second.size() < 2) {
            return null;
        }
        return welch(first.values().stream().mapToDouble(Double::doubleValue).toArray(),
                second.values().stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Paired t on {@code first[i] - second[i]}; with one pair the interval and p are NaN. */
    public static Comparison paired(double[] first, double[] second) {
        int n = first.length;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = first[i] - second[i];
        }
        double mean = StatUtils.mean(d);
        if (n < 2) {
            return new Comparison(Kind.PAIRED, n, mean, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double sd = Math.sqrt(StatUtils.variance(d));
        if (sd == 0) { // identical differences: no spread to test against (commons-math would divide by zero)
            return new Comparison(Kind.PAIRED, n, mean, mean, mean, mean == 0 ? 1 : 0, 0, Double.NaN);
        }
        double half = quantile(n - 1) * sd / Math.sqrt(n);
        return new Comparison(Kind.PAIRED, n, mean, mean - half, mean + half, new TTest().pairedTTest(first, second),
                sd, Double.NaN);
    }

    /** Welch's unequal-variance t on two independent samples (each at least 2 values). */
    public static Comparison welch(double[] first, double[] second) {
        double v1 = StatUtils.variance(first) / first.length;
        double v2 = StatUtils.variance(second) / second.length;
        double mean = StatUtils.mean(first) - StatUtils.mean(second);
        int n = Math.min(first.length, second.length);
        double sd1 = Math.sqrt(StatUtils.variance(first));
        double sd2 = Math.sqrt(StatUtils.variance(second));
        if (v1 + v2 == 0) {
            return new Comparison(Kind.WELCH, n, mean, mean, mean, mean == 0 ? 1 : 0, sd1, sd2);
        }
        double df = (v1 + v2) * (v1 + v2)
                / (v1 * v1 / (first.length - 1) + v2 * v2 / (second.length - 1));
        double half = quantile(df) * Math.sqrt(v1 + v2);
        return new Comparison(Kind.WELCH, n, mean, mean - half, mean + half, new TTest().tTest(first, second), sd1,
                sd2);
    }

    /**
     * Two-sided p of Welch's test between two published cells, each given as the mean and population standard
     * deviation (numpy's default, what the paper prints) of {@code runs} runs: what the publication's own runs say of
     * its step. The seeds' pairing is not published, so the test cannot be paired.
     */
    public static double welchP(double mean1, double populationSd1, double mean2, double populationSd2, int runs) {
        double toSample = runs / (runs - 1.0);
        double v1 = populationSd1 * populationSd1 * toSample;
        double v2 = populationSd2 * populationSd2 * toSample;
        if (v1 + v2 == 0) {
            return mean1 == mean2 ? 1 : 0;
        }
        return new TTest().tTest(new StatisticalSummaryValues(mean1, v1, runs, Double.NaN, Double.NaN, Double.NaN),
                new StatisticalSummaryValues(mean2, v2, runs, Double.NaN, Double.NaN, Double.NaN));
    }

    /** "paired, 3 seeds" or "Welch, 2+ seeds". */
    public String test() {
        return kind == Kind.PAIRED ? "paired, " + n + " seeds" : "Welch, " + n + "+ seeds";
    }

    /** "+5.25 [3.10, 7.40]". */
    public String interval() {
        return Double.isNaN(low) ? String.format(Locale.ROOT, "%+.2f", difference)
                : String.format(Locale.ROOT, "%+.2f [%+.2f, %+.2f]", difference, low, high);
    }

    /**
     * Seeds per cell that the observed difference and spread would need for 80% power at two-sided level
     * {@code alpha}; null when no spread or no difference was observed.
     */
    public Integer seedsFor80(double alpha) {
        return kind == Kind.PAIRED ? Power.pairedSeeds(difference, sdFirst, alpha)
                : Power.welchSeeds(difference, sdFirst, sdSecond, alpha);
    }

    static double quantile(double df) {
        return new TDistribution(df).inverseCumulativeProbability(0.5 + CONFIDENCE / 2);
    }
}
