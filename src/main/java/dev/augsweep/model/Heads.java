package dev.augsweep.model;

import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import java.util.SplittableRandom;

/** The projection and prediction MLPs of the four methods, as the protocol lists them. */
public final class Heads {
    private Heads() {
    }

    /** SimCLR and MoCo: Linear(f, f) - ReLU - Linear(f, out). */
    public static SequentialBlock projection(int features, int out, SplittableRandom rng) {
        return new SequentialBlock()
                .add(Layers.linear(features, features, rng)).add(Activation.reluBlock())
                .add(Layers.linear(features, out, rng));
    }

    /** SimSiam projector: Linear(f, h) - BN - ReLU - Linear(h, h) - BN. */
    public static SequentialBlock simsiamProjector(int features, int hidden, SplittableRandom rng) {
        return new SequentialBlock()
                .add(Layers.linear(features, hidden, rng)).add(Layers.batchNorm()).add(Activation.reluBlock())
                .add(Layers.linear(hidden, hidden, rng)).add(Layers.batchNorm());
    }

    /** SimSiam predictor: Linear(h, p) - BN - ReLU - Linear(p, h). */
    public static SequentialBlock simsiamPredictor(int hidden, int bottleneck, SplittableRandom rng) {
        return new SequentialBlock()
                .add(Layers.linear(hidden, bottleneck, rng)).add(Layers.batchNorm()).add(Activation.reluBlock())
                .add(Layers.linear(bottleneck, hidden, rng));
    }

    /** Barlow Twins projector: f -> d (BN, ReLU) -> d (BN, ReLU) -> d (BN). */
    public static SequentialBlock barlowProjector(int features, int dim, SplittableRandom rng) {
        return new SequentialBlock()
                .add(Layers.linear(features, dim, rng)).add(Layers.batchNorm()).add(Activation.reluBlock())
                .add(Layers.linear(dim, dim, rng)).add(Layers.batchNorm()).add(Activation.reluBlock())
                .add(Layers.linear(dim, dim, rng)).add(Layers.batchNorm());
    }
}
