package dev.augsweep.report;

/**
 * One cell of a table: mean and population std over seeds of each trial's best kNN accuracy (percent).
 *
 * @param stoppedAt the rung (epoch) a halving schedule stopped the cell at, or null for a cell trained to the end
 */
public record CellStats(Scale scale, String method, String augs, double strength, double mean, double std, long n,
                        Integer stoppedAt) {
    public boolean complete() {
        return stoppedAt == null;
    }
}
