package dev.augsweep.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import java.util.SplittableRandom;

/** The few layer kinds the networks use, initialised as PyTorch would and with PyTorch's batch-norm settings. */
public final class Layers {
    private Layers() {
    }

    public static Block conv(int filters, int kernel, int stride, SplittableRandom rng) {
        Block conv = Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .setFilters(filters)
                .optBias(false)
                .build();
        conv.setInitializer(TorchDefaultInit.weights(rng), Parameter.Type.WEIGHT);
        return conv;
    }

    public static Block linear(int in, int out, SplittableRandom rng) {
        Block linear = Linear.builder().setUnits(out).optBias(true).build();
        linear.setInitializer(TorchDefaultInit.weights(rng), Parameter.Type.WEIGHT);
        linear.setInitializer(TorchDefaultInit.bias(rng, in), Parameter.Type.BIAS);
        return linear;
    }

    /** DJL's momentum 0.9 is PyTorch's 0.1; epsilon 1e-5 as PyTorch. */
    public static Block batchNorm() {
        return BatchNorm.builder().optMomentum(0.9f).optEpsilon(1e-5f).build();
    }
}
