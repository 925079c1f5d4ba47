package dev.augsweep.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import dev.augsweep.testing.NumericsSuite;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag(NumericsSuite.TAG)
class MemoryLayoutTest {
    private static final int N = 16;

    /** N random images as planes (NCHW order) and the same images interleaved (NHWC order). */
    private static float[][] planesAndInterleaved() {
        float[] planes = new float[N * 3 * 1024];
        float[] interleaved = new float[planes.length];
        SplittableRandom rng = new SplittableRandom(5);
        for (int n = 0; n < N; n++) {
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < 1024; i++) {
                    float v = (float) rng.nextGaussian();
                    planes[(n * 3 + c) * 1024 + i] = v;
                    interleaved[(n * 1024 + i) * 3 + c] = v;
                }
            }
        }
        return new float[][] {planes, interleaved};
    }

    @Test
    void interleavedImagesAreTheSameNchwTensor() {
        float[][] both = planesAndInterleaved();
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            ImageInput input = new ImageInput(N, 32, MemoryLayout.CHANNELS_LAST);
            NDArray view = input.images(m, both[1], N);
            assertThat(view.getShape()).isEqualTo(new Shape(N, 3, 32, 32));
            assertThat(view.toFloatArray()).isEqualTo(both[0]);
            // The staging buffer is reused: a smaller second batch reads its own images.
            float[] second = both[1].clone();
            for (int i = 0; i < second.length; i++) {
                second[i] += 1;
            }
            NDArray two = input.images(m, second, 2);
            assertThat(two.getShape()).isEqualTo(new Shape(2, 3, 32, 32));
            assertThat(two.get(1, 2, 31, 31).getFloat()).isEqualTo(both[0][(1 * 3 + 2) * 1024 + 1023] + 1);
            NDArray planes = m.create(both[0], new Shape(N, 3, 32, 32));
            assertThat(MemoryLayout.CHANNELS_LAST.arrange(planes).toFloatArray()).isEqualTo(both[0]);
            // NCHW input is a contiguous copy, so it no longer depends on the staging buffer.
            ImageInput nchw = new ImageInput(N, 32, MemoryLayout.NCHW);
            NDArray copied = nchw.images(m, both[1], N);
            nchw.images(m, second, N);
            assertThat(copied.toFloatArray()).isEqualTo(both[0]);
        }
    }

    @Test
    void channelsLastOnlyWhereEveryStridedShortcutFillsWholeSixteenChannelBlocks() {
        assertThat(CifarResNet18.stridedShortcutInputs(0.125)).containsExactly(8, 16, 32);
        assertThat(MemoryLayout.forNetwork(0.0625)).isEqualTo(MemoryLayout.NCHW);
        assertThat(MemoryLayout.forNetwork(0.125)).isEqualTo(MemoryLayout.NCHW);
        assertThat(MemoryLayout.forNetwork(0.1875)).isEqualTo(MemoryLayout.NCHW);
        assertThat(MemoryLayout.forNetwork(0.375)).isEqualTo(MemoryLayout.NCHW); // 24 channels: a partial block
        assertThat(MemoryLayout.forNetwork(0.25)).isEqualTo(MemoryLayout.CHANNELS_LAST);
        assertThat(MemoryLayout.forNetwork(0.5)).isEqualTo(MemoryLayout.CHANNELS_LAST);
        assertThat(MemoryLayout.forNetwork(1.0)).isEqualTo(MemoryLayout.CHANNELS_LAST);
        assertThat(MemoryLayout.resolve("nchw", 1.0)).isEqualTo(MemoryLayout.NCHW);
        assertThat(MemoryLayout.resolve("channels-last", 0.125)).isEqualTo(MemoryLayout.CHANNELS_LAST);
    }

    /**
     * How far the two layouts' outputs may differ (relative L2): they sum in different orders, each reduction's
     * fp32 rounding of typical size sqrt(K) 2^-24 for K terms, adding in quadrature over the path's layers. The
     * longest reduction is batch norm's over N x 32 x 32 = 16,384 values, and the path has 17 convolutions and 17
     * batch norms: sqrt(34) x 128 x 2^-24 = 4.5e-5. A layout computed wrongly is off by order 1.
     */
    private static final double FP32_BOUND = Math.sqrt(34) * Math.sqrt(N * 32 * 32) * 0x1p-24;

    private static double relativeL2(float[] a, float[] reference) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += ((double) a[i] - reference[i]) * ((double) a[i] - reference[i]);
            norm += (double) reference[i] * reference[i];
        }
        return Math.sqrt(diff / norm);
    }

    @Test
    void networkComputesTheSameInEitherLayout() {
        for (int bnSplits : new int[] {1, 4}) {
            float[][] both = planesAndInterleaved();
            try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                SequentialBlock net = CifarResNet18.build(0.25, false, bnSplits, MemoryLayout.CHANNELS_LAST,
                        new SplittableRandom(1));
                net.initialize(m, DataType.FLOAT32, new Shape(2, 3, 32, 32));
                ParameterStore ps = new ParameterStore(m, false);
                // Training mode: batch statistics, and SplitBatchNorm's regrouping, see the whole layout.
                float[] nchw = net.forward(ps, new NDList(m.create(both[0], new Shape(N, 3, 32, 32))), true)
                        .singletonOrThrow().toFloatArray();
                float[] nhwc = net.forward(ps, new NDList(new ImageInput(N, 32, MemoryLayout.CHANNELS_LAST)
                                .images(m, both[1], N)), true)
                        .singletonOrThrow().toFloatArray();
                assertThat(relativeL2(nhwc, nchw)).as("channels-last against NCHW").isLessThanOrEqualTo(FP32_BOUND);
            }
        }
    }
}
