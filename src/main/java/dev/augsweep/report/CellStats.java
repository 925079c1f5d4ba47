package dev.augsweep.report;

import dev.augsweep.report.stats.Comparison;
import dev.augsweep.report.stats.Spread;
import java.util.Map;

/**
 * One cell of a table: the trials of one setting (every setting but the seed, {@code cellId}), as each seed's best
 * kNN accuracy (percent) and, where recorded, its untrained control (the same network before training).
 *
 * @param stoppedAt the rung (epoch) a halving schedule stopped the cell at, or null for a cell trained to the end
 */
public record CellStats(Scale scale, String cellId, String method, String augs, double strength,
                        Map<Integer, Double> bySeed, Map<Integer, Double> controlBySeed, Integer stoppedAt) {
    public CellStats {
        bySeed = Map.copyOf(bySeed);
        controlBySeed = Map.copyOf(controlBySeed);
    }

    /** The same cell without one seed's trial (and its control): the report's leave-one-seed-out check. */
    public CellStats withoutSeed(int seed) {
        Map<Integer, Double> trained = new java.util.HashMap<>(bySeed);
        trained.remove(seed);
        Map<Integer, Double> control = new java.util.HashMap<>(controlBySeed);
        control.remove(seed);
        return new CellStats(scale, cellId, method, augs, strength, trained, control, stoppedAt);
    }

    public boolean complete() {
        return stoppedAt == null;
    }

    public long n() {
        return bySeed.size();
    }

    public double mean() {
        return Spread.mean(bySeed.values());
    }

    /** Population standard deviation over seeds (what the paper's tables show beside the mean). */
    public double std() {
        return Spread.populationStd(bySeed.values());
    }

    /** Accuracy minus the untrained control, paired by seed; null without controls. */
    public Comparison gain() {
        double[] trained = bySeed.keySet().stream().filter(controlBySeed::containsKey).sorted()
                .mapToDouble(bySeed::get).toArray();
        double[] control = bySeed.keySet().stream().filter(controlBySeed::containsKey).sorted()
                .mapToDouble(controlBySeed::get).toArray();
        return trained.length == 0 ? null : Comparison.paired(trained, control);
    }
}
