package dev.augsweep.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Batch norm that simulates several GPUs, as the paper's MoCo does (SplitBatchNorm, 8 splits, from MoCo's CIFAR
 * demo): in training, sample n is normalised with the statistics of the samples n' where n' = n mod splits, as if
 * each split ran on its own device; running statistics are the average over splits. Evaluation is plain batch norm.
 */
public final class SplitBatchNorm extends AbstractBlock {
    private static final float MOMENTUM = 0.9f; // DJL's 0.9 is PyTorch's momentum 0.1
    private static final float EPSILON = 1e-5f;
    private final int splits;
    private final MemoryLayout layout;
    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVar;
    private long channels;

    public SplitBatchNorm(int splits, MemoryLayout layout) {
        this.splits = splits;
        this.layout = layout;
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).build());
        runningMean = addParameter(Parameter.builder().setName("runningMean").setType(Parameter.Type.RUNNING_MEAN)
                .optRequiresGrad(false).build());
        runningVar = addParameter(Parameter.builder().setName("runningVar").setType(Parameter.Type.RUNNING_VAR)
                .optRequiresGrad(false).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Device device = x.getDevice();
        NDArray g = ps.getValue(gamma, device, training);
        NDArray b = ps.getValue(beta, device, training);
        NDArray mean = ps.getValue(runningMean, device, training);
        NDArray var = ps.getValue(runningVar, device, training);
        long n = x.getShape().get(0);
        if (!training || splits == 1 || n % splits != 0) {
            return BatchNorm.batchNorm(x, mean, var, g, b, 1, MOMENTUM, EPSILON, training);
        }
        // (N, C, ...) -> (N / S, S * C, ...): consecutive samples become channel blocks, one block per split.
        long[] dims = x.getShape().getShape().clone();
        dims[0] = n / splits;
        dims[1] = channels * splits;
        NDArray splitMean = attach(mean.tile(splits), x);
        NDArray splitVar = attach(var.tile(splits), x);
        NDArray out = BatchNorm.batchNorm(x.reshape(new Shape(dims)), splitMean, splitVar,
                attach(g.tile(splits), x), attach(b.tile(splits), x), 1, MOMENTUM, EPSILON, true)
                .singletonOrThrow().reshape(x.getShape());
        average(splitMean, mean);
        average(splitVar, var);
        // The split reshape leaves NCHW memory; back to the network's layout so the next convolution stays on it.
        return new NDList(x.getShape().dimension() == 4 ? layout.arrange(out) : out);
    }

    private void average(NDArray perSplit, NDArray target) {
        try (NDArray avg = perSplit.reshape(splits, channels).mean(new int[] {0})) {
            target.muli(0f).addi(avg);
        }
    }

    /** Temporaries live with the step's input, not with the model, so the step's manager frees them. */
    private static NDArray attach(NDArray a, NDArray owner) {
        a.attach(owner.getManager());
        return a;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        super.beforeInitialize(inputShapes);
        channels = inputShapes[0].get(1);
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        for (Parameter p : new Parameter[] {gamma, beta, runningMean, runningVar}) {
            p.setShape(new Shape(channels));
        }
    }
}
