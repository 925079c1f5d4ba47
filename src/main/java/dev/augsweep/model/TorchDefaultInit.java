package dev.augsweep.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.util.SplittableRandom;

/**
 * PyTorch's default initialisation (the paper's): conv and linear weights U(-1/sqrt(fan_in), 1/sqrt(fan_in))
 * (kaiming_uniform with a = sqrt(5)), linear biases the same with the layer's fan_in. Values come from a seeded
 * Java stream, so the same seed gives the same network on any device.
 */
public final class TorchDefaultInit implements Initializer {
    private final SplittableRandom rng;
    private final long biasFanIn;

    private TorchDefaultInit(SplittableRandom rng, long biasFanIn) {
        this.rng = rng;
        this.biasFanIn = biasFanIn;
    }

    /** For weights: fan_in is read from the shape (all dimensions after the first). */
    public static TorchDefaultInit weights(SplittableRandom rng) {
        return new TorchDefaultInit(rng, -1);
    }

    /** For a linear layer's bias, whose shape does not tell the fan_in. */
    public static TorchDefaultInit bias(SplittableRandom rng, long fanIn) {
        return new TorchDefaultInit(rng, fanIn);
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        long fanIn = biasFanIn > 0 ? biasFanIn : shape.size() / shape.get(0);
        double bound = 1.0 / Math.sqrt(fanIn);
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
        return manager.create(values, shape).toType(dataType, false);
    }
}
