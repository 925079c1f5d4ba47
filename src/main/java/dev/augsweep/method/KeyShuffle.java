package dev.augsweep.method;

import dev.augsweep.augment.Seeds;
import dev.augsweep.model.MemoryLayout;
import java.util.SplittableRandom;

/**
 * The order in which MoCo's key encoder sees a batch: a fresh random permutation for each key pass (two per
 * step), as lightly's {@code torch.randperm} in {@code _batch_shuffle}, but drawn from the trial's seed and a step
 * counter that checkpoints keep, so a resumed trial shuffles exactly as an uninterrupted one.
 */
public final class KeyShuffle {
    private static final long STREAM = 0x5ffe;
    private final long seed;
    private final MemoryLayout layout;
    private long step;

    /** @param layout the networks' memory layout, which a gathered batch is put back into */
    public KeyShuffle(long seed, MemoryLayout layout) {
        this.seed = seed;
        this.layout = layout;
    }

    /** A permutation of 0..n-1 for key pass {@code call} (0 or 1) of the current step: position p encodes image order[p]. */
    public int[] order(int n, int call) {
        return Seeds.permutation(n, new SplittableRandom(Seeds.mix(seed, STREAM, step, call)));
    }

    /** The permutation that puts encoded rows back: row i of the result is the row that encoded image i. */
    public static int[] inverse(int[] order) {
        int[] inverse = new int[order.length];
        for (int p = 0; p < order.length; p++) {
            inverse[order[p]] = p;
        }
        return inverse;
    }

    static long[] asLongs(int[] values) {
        long[] l = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            l[i] = values[i];
        }
        return l;
    }

    MemoryLayout layout() {
        return layout;
    }

    long step() {
        return step;
    }

    void nextStep() {
        step++;
    }

    /** Continues from {@code savedStep} (a checkpoint's counter; the parity tests' way to a given step). */
    public void restore(long savedStep) {
        step = savedStep;
    }
}
