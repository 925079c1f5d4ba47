package dev.augsweep.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.augsweep.augment.ViewBatch;
import dev.augsweep.config.Precision;
import dev.augsweep.data.CifarSplit;
import dev.augsweep.method.Method;
import dev.augsweep.model.ImageInput;
import dev.augsweep.model.MemoryLayout;
import dev.augsweep.numerics.Autocast;
import dev.augsweep.numerics.GradientPass;
import dev.augsweep.numerics.LossScale;

/** One SGD step on a batch of view pairs: forward, loss, backward, update; every temporary freed with the step. */
public final class TrainingStep {
    private final GradientPass pass;
    private final Sgd sgd;
    private final NDManager manager;
    private final ImageInput input0;
    private final ImageInput input1;
    private final LossScale lossScale;

    /** For batches of up to {@code batchSize} view pairs, fed to the networks in {@code layout}, in fp32. */
    public TrainingStep(Method method, ParameterStore ps, Sgd sgd, NDManager manager, int batchSize,
                        MemoryLayout layout) {
        this(method, ps, sgd, manager, batchSize, layout, null);
    }

    /** @param autocast the mixed precision the networks run in, or null for fp32 (fp16 scales its loss) */
    public TrainingStep(Method method, ParameterStore ps, Sgd sgd, NDManager manager, int batchSize,
                        MemoryLayout layout, Autocast autocast) {
        this(method, ps, sgd, manager, batchSize, layout, autocast,
                autocast != null && autocast.precision() == Precision.FP16 ? new LossScale() : null);
    }

    TrainingStep(Method method, ParameterStore ps, Sgd sgd, NDManager manager, int batchSize, MemoryLayout layout,
                 Autocast autocast, LossScale lossScale) {
        this.pass = new GradientPass(method, ps, autocast, lossScale);
        this.lossScale = lossScale;
        this.sgd = sgd;
        this.manager = manager;
        this.input0 = new ImageInput(batchSize, CifarSplit.SIDE, layout);
        this.input1 = new ImageInput(batchSize, CifarSplit.SIDE, layout);
    }

    /** Returns the loss of {@code size} interleaved view pairs; the caller decides what a non-finite loss means. */
    public float run(float[] view0, float[] view1, int size) {
        return run(ViewBatch.floats(view0, view1, size));
    }

    private float run(ViewBatch batch) {
        try (NDManager step = manager.newSubManager()) {
            float value = lossAndGradients(images(step, batch, 0), images(step, batch, 1)).getFloat();
            // With a loss scale, a step whose gradients overflowed is skipped (the scale halves; the loss is fine).
            if (Float.isFinite(value) && (lossScale == null || lossScale.unscale(sgd.parameters()))) {
                sgd.step();
            }
            return value;
        }
    }

    /**
     * The same step on a batch of either kind, its loss handed to {@code window}: read now where the window reads
     * every step (or fp16's loss scale needs it), else summed on the device without waiting for it. A non-finite
     * loss then updates the weights before it is seen; the trial stops at the window's next read, before any
     * checkpoint.
     */
    void run(ViewBatch batch, LossWindow window) {
        if (window.readsEveryStep() || lossScale != null) {
            window.add(run(batch));
            return;
        }
        try (NDManager step = manager.newSubManager()) {
            NDArray loss = lossAndGradients(images(step, batch, 0), images(step, batch, 1));
            sgd.step();
            window.add(loss);
        }
    }

    /** View {@code view} (0 or 1) of the batch as the network's input, in {@code step}. */
    private NDArray images(NDManager step, ViewBatch batch, int view) {
        ImageInput input = view == 0 ? input0 : input1;
        if (batch.quantised()) {
            return input.images(step, view == 0 ? batch.bytes0() : batch.bytes1(), batch.size(), batch.mean(),
                    batch.std());
        }
        return input.images(step, view == 0 ? batch.view0() : batch.view1(), batch.size());
    }

    /**
     * The host's side of one step, timed by part ({@code bench --only host}): the step as {@link #run}, with its
     * loss read before the update. On a CPU each part's figure is its whole cost; on a GPU, what the host spends
     * launching it (the read then waits for the device).
     */
    public HostProfile profile(float[] view0, float[] view1, int size) {
        try (NDManager step = manager.newSubManager()) {
            long t0 = System.nanoTime();
            NDArray x0 = input0.images(step, view0, size);
            NDArray x1 = input1.images(step, view1, size);
            long t1 = System.nanoTime();
            NDArray loss = lossAndGradients(x0, x1);
            long t2 = System.nanoTime();
            loss.getFloat();
            long t3 = System.nanoTime();
            sgd.step();
            long t4 = System.nanoTime();
            return new HostProfile((t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9,
                    step.getManagedArrays().size());
        }
    }

    /**
     * Seconds of a step's parts, and the tensors it created: each a native call from the JVM (libtorch's own calls
     * inside backward and the optimiser's kernels are not counted).
     */
    public record HostProfile(double upload, double forwardBackward, double lossRead, double sgd, int tensors) {
    }

    /** The same on two batches already on the device (NCHW tensors); returns the loss. */
    NDArray lossAndGradients(NDArray x0, NDArray x1) {
        return pass.run(x0, x1);
    }
}
