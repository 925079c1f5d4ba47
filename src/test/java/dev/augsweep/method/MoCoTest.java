package dev.augsweep.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.augsweep.model.Layers;
import dev.augsweep.model.MemoryLayout;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MoCoTest {
    private final NDManager m = NDManager.newBaseManager(Device.cpu());

    @AfterEach
    void close() {
        m.close();
    }

    private Block linear(int in, int out, long seed) {
        Block b = Layers.linear(in, out, new SplittableRandom(seed));
        b.initialize(m, DataType.FLOAT32, new Shape(2, in));
        return b;
    }

    private MoCo moco(int queueSize) {
        NDArray queue = m.create(new float[queueSize * 2], new Shape(queueSize, 2));
        return new MoCo(linear(4, 3, 1), linear(3, 2, 2), linear(4, 3, 3), linear(3, 2, 4), queue, 0.99, 0.1, null);
    }

    private MoCo shuffling(KeyShuffle shuffle) {
        NDArray queue = m.create(new float[8 * 2], new Shape(8, 2));
        return new MoCo(linear(4, 3, 1), linear(3, 2, 2), linear(4, 3, 3), linear(3, 2, 4), queue, 0.99, 0.1, shuffle);
    }

    @Test
    void shuffledKeysComeBackInQueryOrder() {
        // A key encoder that treats every row on its own: shuffling must change nothing once undone.
        float[] x = new float[16 * 4];
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        NDArray view = m.create(x, new Shape(16, 4));
        ParameterStore ps = new ParameterStore(m, false);
        float[] plain = moco(8).keys(ps, view, 0).toFloatArray();
        KeyShuffle shuffle = new KeyShuffle(7, MemoryLayout.NCHW);
        assertThat(shuffle.order(16, 0)).isNotEqualTo(java.util.stream.IntStream.range(0, 16).toArray());
        assertThat(shuffling(shuffle).keys(ps, view, 0).toFloatArray()).containsExactly(plain, offset(1e-6f));
    }

    @Test
    void everyKeyPassDrawsAFreshPermutationThatResumesExactly() {
        KeyShuffle shuffle = new KeyShuffle(7, MemoryLayout.NCHW);
        int[] first = shuffle.order(64, 0);
        int[] second = shuffle.order(64, 1);
        assertThat(second).isNotEqualTo(first);
        assertThat(shuffle.order(64, 0)).isEqualTo(first); // the same pass of the same step: the same order
        int[] inverse = KeyShuffle.inverse(first);
        for (int i = 0; i < 64; i++) {
            assertThat(first[inverse[i]]).isEqualTo(i);
        }
        MoCo moco = shuffling(shuffle);
        NDArray view = m.create(new float[64 * 4], new Shape(64, 4));
        moco.beforeLoss(new ParameterStore(m, false), view, view);
        assertThat(shuffle.order(64, 0)).isNotEqualTo(first); // the next step
        assertThat(moco.counters()).containsEntry("key_shuffle_step", 1L);
        KeyShuffle resumed = new KeyShuffle(7, MemoryLayout.NCHW);
        shuffling(resumed).restoreCounters(moco.counters());
        assertThat(resumed.order(64, 1)).isEqualTo(shuffle.order(64, 1));
    }

    @Test
    void withSplitBatchNormAKeyIsNormalisedAmongOtherImagesThanItsQuery() {
        // SplitBatchNorm normalises sample n with the samples n' = n mod S (SplitBatchNormTest). Without the shuffle
        // an image's key sits in the same group, with the same companions, as its query; with it, only by chance.
        int n = 512;
        int splits = 8;
        int[] order = new KeyShuffle(11, MemoryLayout.NCHW).order(n, 0);
        int[] position = KeyShuffle.inverse(order);
        int sameGroup = 0;
        double sharedCompanions = 0;
        for (int i = 0; i < n; i++) {
            sameGroup += position[i] % splits == i % splits ? 1 : 0;
            int shared = 0;
            for (int j = 0; j < n; j++) {
                boolean queryCompanion = j % splits == i % splits;
                boolean keyCompanion = position[j] % splits == position[i] % splits;
                shared += j != i && queryCompanion && keyCompanion ? 1 : 0;
            }
            sharedCompanions += shared / (n / (double) splits - 1);
        }
        assertThat(sameGroup / (double) n).isLessThan(0.25); // 1/8 expected
        assertThat(sharedCompanions / n).isLessThan(0.25); // was 1: every companion shared
    }

    @Test
    void queueIsARingReplacingTheOldestKeysFirst() {
        MoCo moco = moco(4);
        NDArray a = m.create(new float[] {1, 1, 2, 2}, new Shape(2, 2));
        NDArray b = m.create(new float[] {3, 3, 4, 4}, new Shape(2, 2));
        NDArray c = m.create(new float[] {5, 5, 6, 6}, new Shape(2, 2));
        moco.enqueue(a);
        assertThat(moco.pointer()).isEqualTo(2);
        moco.enqueue(b);
        assertThat(moco.pointer()).isZero();
        assertThat(moco.queue().toFloatArray()).containsExactly(1, 1, 2, 2, 3, 3, 4, 4);
        moco.enqueue(c);
        assertThat(moco.queue().toFloatArray()).containsExactly(5, 5, 6, 6, 3, 3, 4, 4);
        assertThat(moco.pointer()).isEqualTo(2);
    }

    @Test
    void aLossTermReadsTheQueueBeforeEnqueueingItsKeys() {
        MoCo moco = moco(4);
        moco.enqueue(m.create(new float[] {0, 1, 0, 1}, new Shape(2, 2)));
        moco.enqueue(m.create(new float[] {-1, 0, -1, 0}, new Shape(2, 2)));
        NDArray before = moco.queue().duplicate();
        NDArray q = m.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
        NDArray k = m.create(new float[] {3, 4, 1, 0}, new Shape(2, 2));
        float loss = moco.term(q, k).getFloat();
        assertThat(loss).isCloseTo(QueueInfoNceLoss.compute(q, k, before, 0.1).getFloat(), offset(1e-6f));
        // The keys went in normalised, where the pointer stood (the start of the ring).
        assertThat(moco.queue().toFloatArray()).containsExactly(new float[] {0.6f, 0.8f, 1, 0, -1, 0, -1, 0},
                offset(1e-6f));
    }

    @Test
    void momentumUpdateMovesKeyWeightsOnePercentTowardsTheQuery() {
        MoCo moco = moco(4);
        List<Parameter> query = moco.trainedBlocks().get("backbone").getParameters().values();
        List<Parameter> key = moco.checkpointBlocks().get("key_backbone").getParameters().values();
        float[] q = query.get(0).getArray().toFloatArray();
        float[] k = key.get(0).getArray().toFloatArray();
        assertThat(q).isNotEqualTo(k);
        moco.momentumUpdate();
        float[] updated = key.get(0).getArray().toFloatArray();
        for (int i = 0; i < q.length; i++) {
            assertThat(updated[i]).isCloseTo(0.99f * k[i] + 0.01f * q[i], offset(1e-6f));
        }
        assertThat(query.get(0).getArray().toFloatArray()).isEqualTo(q);
        assertThat(key.get(0).requiresGradient()).isFalse();
    }
}
