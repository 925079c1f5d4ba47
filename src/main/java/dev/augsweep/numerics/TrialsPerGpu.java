package dev.augsweep.numerics;

/**
 * {@code --conf spark.augsweep.trialsPerGpu=auto}: how many trials share one GPU in local mode, by the widest network
 * the sweep trains. On an H200 one trial at width 1/4 ran no faster than at width 1 (13.0k and 12.7k img/s, both
 * waiting on the host), so a narrow trial leaves most of the GPU to others: 1 at width 1/2 and up, 2 at 1/4, 4 below.
 * Each trial needs a core to drive its step and at least one to make views, so the cores cap it: at least 2 per trial.
 * Not measured on a GPU here; set a number where a measurement says otherwise.
 */
public final class TrialsPerGpu {
    private TrialsPerGpu() {
    }

    /**
     * @param widest the sweep's widest network (width multiplier)
     * @param cores  the driver machine's cores
     * @param gpus   its GPUs
     */
    public static int auto(double widest, int cores, int gpus) {
        int byWidth = widest >= 0.5 ? 1 : widest >= 0.25 ? 2 : 4;
        int byCores = Math.max(1, cores / (2 * Math.max(1, gpus)));
        return Math.min(byWidth, byCores);
    }
}
