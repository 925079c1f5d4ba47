package dev.augsweep.report;

import dev.augsweep.config.Fractions;
import dev.augsweep.report.stats.Comparison;
import dev.augsweep.report.stats.Spread;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A method's untrained control at one scale: kNN accuracy of its networks before training (per seed), and its best
 * cell's gain over it. kNN on random features is far above chance, so only a gain over this says a method learned.
 *
 * @param bestRow the best complete cell's row ("abcd", "color 1/2"), null without controls
 * @param gain    that cell's accuracy minus the control, paired by seed; null without controls
 */
public record Control(String method, Map<Integer, Double> bySeed, String bestRow, Comparison gain) {
    /** The control of {@code method} over the cells of one scale; null when none of its trials recorded one. */
    public static Control of(String method, List<CellStats> cells) {
        Map<Integer, List<Double>> seeds = new TreeMap<>();
        cells.stream().filter(c -> c.method().equals(method))
                .forEach(c -> c.controlBySeed().forEach((s, v) -> seeds.computeIfAbsent(s, k -> new java.util.ArrayList<>())
                        .add(v)));
        if (seeds.isEmpty()) {
            return null;
        }
        Map<Integer, Double> bySeed = new TreeMap<>();
        seeds.forEach((s, v) -> bySeed.put(s, v.stream().mapToDouble(Double::doubleValue).average().orElseThrow()));
        CellStats best = cells.stream().filter(c -> c.method().equals(method) && c.complete() && c.gain() != null)
                .max(java.util.Comparator.comparingDouble(CellStats::mean)).orElse(null);
        return new Control(method, bySeed, best == null ? null : row(best), best == null ? null : best.gain());
    }

    public double mean() {
        return Spread.mean(bySeed.values());
    }

    public double std() {
        return Spread.populationStd(bySeed.values());
    }

    /**
     * Whether the best cell is above the control: its 95% interval (paired by seed) lies above zero. Null when that
     * cannot be told (one seed, or no trained cell).
     */
    public Boolean learned() {
        if (gain == null || Double.isNaN(gain.low())) {
            return null;
        }
        return gain.low() > 0;
    }

    /** "simclr 23.31 ± 0.40 (3 seeds); best cell abcd +11.37 [+9.80, +12.94]: learned". */
    public String describe() {
        String s = String.format(Locale.ROOT, "%s %.2f ± %.2f (%d seed%s)", method, mean(), std(), bySeed.size(),
                bySeed.size() == 1 ? "" : "s");
        if (gain == null) {
            return s;
        }
        Boolean l = learned();
        return s + "; best cell " + bestRow + " " + gain.interval() + ": "
                + (l == null ? "too few seeds to tell" : l ? "learned" : "did not learn at this scale");
    }

    static String row(CellStats c) {
        return c.augs().equals("color") ? "color " + Fractions.format(c.strength()) : c.augs();
    }
}
