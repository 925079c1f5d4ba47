package dev.augsweep.report;

/** One cell of a table: mean and population std over seeds of each trial's best kNN accuracy (percent). */
public record CellStats(Scale scale, String method, String augs, double strength, double mean, double std, long n) {
}
