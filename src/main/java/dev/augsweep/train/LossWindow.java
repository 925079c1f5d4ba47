package dev.augsweep.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;

/**
 * An epoch's losses, summed where they are computed and read every {@link #READ_EVERY} steps: reading a GPU's loss
 * makes the host wait for the device, so a read per step leaves the GPU idle while the next batch is made and
 * uploaded. A loss that stops being finite stops the trial at the next read, within {@link #READ_EVERY} steps, before
 * any checkpoint could hold what it did to the weights (checkpoints follow the epoch's last read).
 */
final class LossWindow implements AutoCloseable {
    static final int READ_EVERY = 16;
    private final NDArray sum;
    private final int readEvery;
    private final String where;
    private int steps;
    private int firstUnread = 1;
    private double total;

    /** @param where how to name the epoch in a divergence message ("epoch 3 (lr 0.06)") */
    LossWindow(NDManager manager, int readEvery, String where) {
        this.sum = manager.zeros(new Shape(), DataType.FLOAT32);
        this.readEvery = readEvery;
        this.where = where;
    }

    /** Adds a step's loss on its device; no wait, but at every {@code readEvery}-th step. */
    void add(NDArray loss) {
        sum.addi(loss.getDataType() == DataType.FLOAT32 ? loss : loss.toType(DataType.FLOAT32, false));
        if (++steps % readEvery == 0) {
            read();
        }
    }

    /** Adds a loss already read (a step that had to read it). */
    void add(float loss) {
        try (NDArray value = sum.getManager().create(loss)) {
            add(value);
        }
    }

    /** The mean loss of the steps so far (reads what is pending). */
    double mean() {
        read();
        return steps == 0 ? Double.NaN : total / steps;
    }

    int steps() {
        return steps;
    }

    private void read() {
        if (firstUnread > steps) {
            return;
        }
        float value = sum.getFloat();
        if (!Float.isFinite(value)) {
            throw new TrainingDivergedException(String.format(Locale.ROOT, "loss became %s at %s, between steps %d "
                    + "and %d; the run diverged: lower lr or check the augmentation settings", value, where,
                    firstUnread, steps));
        }
        total += value;
        sum.subi(sum);
        firstUnread = steps + 1;
    }

    @Override
    public void close() {
        sum.close();
    }
}
