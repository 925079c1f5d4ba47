package dev.augsweep.numerics;

/**
 * How often a trial reads its loss back ({@code loss-read-every = auto}). Reading a GPU's loss makes the host wait
 * until the device has finished the step, so the next batch's upload and launch cannot overlap it: on a GPU the
 * losses are summed on the device and read every {@link #GPU_STEPS} steps (a non-finite loss stops the trial within
 * that many). On a CPU the step has finished when it returns; reading each loss costs nothing there and stops a
 * diverging trial before its update.
 */
public final class LossReads {
    /** Steps between reads on a GPU: about a second of steps at the H200's pace, batch 512. */
    public static final int GPU_STEPS = 16;

    private LossReads() {
    }

    /**
     * @param configured the setting: a count, or 0 for auto
     * @param gpu        whether the trial trains on a GPU
     */
    public static int every(int configured, boolean gpu) {
        if (configured > 0) {
            return configured;
        }
        return gpu ? GPU_STEPS : 1;
    }
}
