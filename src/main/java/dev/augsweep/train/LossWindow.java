package dev.augsweep.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;

/**
 * An epoch's losses, read every {@code readEvery} steps ({@code device.LossReads}). In between they are summed on the
 * device, so the host does not wait for each step; a loss that stops being finite stops the trial at the next read,
 * within {@code readEvery} steps and before any checkpoint could hold what it did to the weights (checkpoints follow
 * the epoch's last read). Read every step, the mean is exactly the per-step reads' mean.
 */
final class LossWindow implements AutoCloseable {
    private final NDManager manager;
    private final int readEvery;
    private final String where;
    private NDArray sum;
    private int steps;
    private int firstUnread = 1;
    private double total;

    /** @param where how a divergence message names the epoch ("epoch 3 (lr 0.06)") */
    LossWindow(NDManager manager, int readEvery, String where) {
        this.manager = manager;
        this.readEvery = readEvery;
        this.where = where;
    }

    /** Whether each step's loss is read as it is computed (the step may then skip an update whose loss is not finite). */
    boolean readsEveryStep() {
        return readEvery == 1;
    }

    /** Adds a step's loss where it was computed; reads the sum at every {@code readEvery}-th step. */
    void add(NDArray loss) {
        NDArray fp32 = loss.getDataType() == DataType.FLOAT32 ? loss : loss.toType(DataType.FLOAT32, false);
        if (sum == null) {
            sum = manager.zeros(new Shape(), DataType.FLOAT32);
        }
        sum.addi(fp32);
        if (++steps % readEvery == 0) {
            read();
        }
    }

    /** Adds a loss the step has read already. */
    void add(float loss) {
        steps++;
        if (!Float.isFinite(loss)) {
            throw diverged(loss, "step " + steps);
        }
        total += loss;
        firstUnread = steps + 1;
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
            throw diverged(value, "between steps " + firstUnread + " and " + steps);
        }
        total += value;
        sum.subi(sum);
        firstUnread = steps + 1;
    }

    private TrainingDivergedException diverged(float value, String when) {
        return new TrainingDivergedException(String.format(Locale.ROOT, "loss became %s at %s, %s; the run diverged: "
                + "lower lr or check the augmentation settings", value, where, when));
    }

    @Override
    public void close() {
        if (sum != null) {
            sum.close();
        }
    }
}
