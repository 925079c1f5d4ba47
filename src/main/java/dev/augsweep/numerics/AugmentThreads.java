package dev.augsweep.numerics;

/**
 * How many threads make a trial's augmented views ({@code augment-threads = auto}). On a GPU the step itself needs
 * one host thread (launching kernels, copying batches) and the views are the host's whole job: one view thread made
 * an H200 wait on the host in 28 of 40 samples, so every other core of the trial's share makes views. On a CPU the
 * cores compute the step; one view thread keeps ahead of it there (the views cost a few percent of a CPU step).
 */
public final class AugmentThreads {
    private AugmentThreads() {
    }

    /**
     * @param configured the setting: a count, or 0 for auto
     * @param gpu        whether the trial trains on a GPU
     * @param cores      the cores the trial may use (its share on a shared machine)
     */
    public static int of(int configured, boolean gpu, int cores) {
        if (configured > 0) {
            return configured;
        }
        return gpu ? Math.max(1, cores - 1) : 1;
    }
}
