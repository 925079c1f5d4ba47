package dev.augsweep.model;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The CIFAR ResNet-18 of the paper's code (lightly's ResNetGenerator("resnet-18")): 3x3 stem without max-pool,
 * four stages of two basic blocks, global average pool. DJL's ResNetV1 is a different network.
 */
public final class CifarResNet18 {
    private static final int[] STAGE_CHANNELS = {64, 128, 256, 512};

    private CifarResNet18() {
    }

    /** Feature width: 512 at width 1. */
    public static int featureDim(double width) {
        return channels(STAGE_CHANNELS[3], width);
    }

    /** Input channels of the 1x1 stride-2 shortcut convolutions (first block of stages 2-4). */
    public static int[] stridedShortcutInputs(double width) {
        return new int[] {channels(STAGE_CHANNELS[0], width), channels(STAGE_CHANNELS[1], width),
                channels(STAGE_CHANNELS[2], width)};
    }

    /**
     * @param stemRelu false reproduces the original, whose backbone is rebuilt from the ResNet's children and so
     *                 loses the ReLU after the stem's batch norm
     */
    public static SequentialBlock build(double width, boolean stemRelu, SplittableRandom rng) {
        return build(width, stemRelu, 1, MemoryLayout.NCHW, rng);
    }

    /**
     * @param bnSplits 1 for plain batch norm; S > 1 simulates S devices in every batch norm (the paper's MoCo, 8)
     * @param layout   the layout the network computes in (SplitBatchNorm's regrouping has to restore it)
     */
    public static SequentialBlock build(double width, boolean stemRelu, int bnSplits, MemoryLayout layout,
                                        SplittableRandom rng) {
        Supplier<Block> norm = bnSplits > 1 ? () -> new SplitBatchNorm(bnSplits, layout) : Layers::batchNorm;
        SequentialBlock net = new SequentialBlock();
        int in = channels(STAGE_CHANNELS[0], width);
        net.add(Layers.conv(in, 3, 1, rng)).add(norm.get());
        if (stemRelu) {
            net.add(Activation.reluBlock());
        }
        for (int stage = 0; stage < 4; stage++) {
            int out = channels(STAGE_CHANNELS[stage], width);
            for (int b = 0; b < 2; b++) {
                int stride = (stage > 0 && b == 0) ? 2 : 1;
                net.add(basicBlock(in, out, stride, norm, rng));
                in = out;
            }
        }
        return net.add(Pool.globalAvgPool2dBlock());
    }

    private static Block basicBlock(int in, int out, int stride, Supplier<Block> norm, SplittableRandom rng) {
        SequentialBlock residual = new SequentialBlock()
                .add(Layers.conv(out, 3, stride, rng)).add(norm.get()).add(Activation.reluBlock())
                .add(Layers.conv(out, 3, 1, rng)).add(norm.get());
        Block shortcut = (stride != 1 || in != out)
                ? new SequentialBlock().add(Layers.conv(out, 1, stride, rng)).add(norm.get())
                : Blocks.identityBlock();
        return new SequentialBlock()
                .add(new ParallelBlock(
                        outputs -> new NDList(outputs.get(0).singletonOrThrow().add(outputs.get(1).singletonOrThrow())),
                        List.of(residual, shortcut)))
                .add(Activation.reluBlock());
    }

    private static int channels(int base, double width) {
        return Math.max(1, (int) Math.round(base * width));
    }
}
