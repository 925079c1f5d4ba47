package dev.augsweep.train;

/**
 * One epoch's figures, epochs numbered from 1. {@code knnTop1} (a fraction) is null when the epoch was not evaluated.
 *
 * @param resumed true for the first epoch run after a restart from a checkpoint
 * @param ranOn   the CPU and kernels that computed it
 */
public record EpochMetrics(int epoch, double loss, Double knnTop1, double lr, double trainSeconds,
                           double evalSeconds, double imagesPerSecond, boolean resumed, RanOn ranOn) {
    public EpochMetrics {
        ranOn = ranOn == null ? RanOn.UNRECORDED : ranOn;
    }
}
