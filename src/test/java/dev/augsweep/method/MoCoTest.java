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
import dev.augsweep.model.Layers;
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
        return new MoCo(linear(4, 3, 1), linear(3, 2, 2), linear(4, 3, 3), linear(3, 2, 4), queue, 0.99, 0.1);
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
