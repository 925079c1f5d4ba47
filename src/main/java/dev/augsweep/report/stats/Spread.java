package dev.augsweep.report.stats;

import java.util.Collection;

/** Mean and population standard deviation over seeds: what the paper's tables print beside each other. */
public final class Spread {
    private Spread() {
    }

    /** NaN for no values. */
    public static double mean(Collection<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** The population (not sample) standard deviation, as the paper's ± is; NaN for no values. */
    public static double populationStd(Collection<Double> values) {
        double m = mean(values);
        return Math.sqrt(values.stream().mapToDouble(v -> (v - m) * (v - m)).average().orElse(Double.NaN));
    }
}
