package dev.augsweep.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MoCo (v2-style, as the paper's code): query encoder trained by SGD, key encoder an exponential moving average
 * of it (momentum 0.99), a queue of 4,096 negatives, temperature 0.1, symmetric loss 1/2 (L(q0,k1) + L(q1,k0)).
 * The key encoder sees each batch shuffled (lightly's {@code batch_shuffle=True}, a fresh permutation per key pass)
 * and its keys are put back in query order: with SplitBatchNorm, a query and its key are then normalised among
 * different images, which stops the network from matching them by batch statistics alone.
 *
 * <p>The original runs, per loss term: momentum update, key encoding, loss against the queue as it is, then
 * enqueue of that term's keys; so the second term already sees the first term's keys. Key encoding does not
 * depend on the query forward, so both momentum updates and key passes run first, outside gradient recording,
 * which gives the same numbers.
 */
public final class MoCo extends BlockMethod {
    private final Block backbone;
    private final Block head;
    private final Block keyBackbone;
    private final Block keyHead;
    private final NDArray queue;
    private final double momentum;
    private final double temperature;
    private final List<Parameter[]> emaPairs;
    private final KeyShuffle shuffle;
    private long pointer;
    private NDArray key0;
    private NDArray key1;

    /**
     * @param queue   (K, d) initial negatives, L2-normalised rows
     * @param shuffle the key batches' order, or null to encode them in batch order
     */
    public MoCo(Block backbone, Block head, Block keyBackbone, Block keyHead, NDArray queue, double momentum,
                double temperature, KeyShuffle shuffle) {
        super("moco", "backbone", backbone, "head", head);
        this.backbone = backbone;
        this.head = head;
        this.keyBackbone = keyBackbone;
        this.keyHead = keyHead;
        this.queue = queue;
        this.momentum = momentum;
        this.temperature = temperature;
        this.shuffle = shuffle;
        keyBackbone.freezeParameters(true);
        keyHead.freezeParameters(true);
        this.emaPairs = new ArrayList<>(pairs(backbone, keyBackbone));
        emaPairs.addAll(pairs(head, keyHead));
    }

    @Override
    public Map<String, Block> checkpointBlocks() {
        Map<String, Block> blocks = trainedBlocks();
        blocks.put("key_backbone", keyBackbone);
        blocks.put("key_head", keyHead);
        return blocks;
    }

    @Override
    public Map<String, NDArray> extraArrays() {
        return Map.of("queue", queue);
    }

    @Override
    public Map<String, Long> counters() {
        return shuffle == null ? Map.of("queue_pointer", pointer)
                : Map.of("queue_pointer", pointer, "key_shuffle_step", shuffle.step());
    }

    @Override
    public void restoreCounters(Map<String, Long> counters) {
        pointer = counters.getOrDefault("queue_pointer", 0L);
        if (shuffle != null) {
            shuffle.restore(counters.getOrDefault("key_shuffle_step", 0L));
        }
    }

    public NDArray queue() {
        return queue;
    }

    public long pointer() {
        return pointer;
    }

    @Override
    public void beforeLoss(ParameterStore ps, NDArray view0, NDArray view1) {
        momentumUpdate();
        key1 = keys(ps, view1, 0);
        momentumUpdate();
        key0 = keys(ps, view0, 1);
        if (shuffle != null) {
            shuffle.nextStep();
        }
    }

    /** The key encoder's projections of {@code view}, in the view's order whatever order it encoded them in. */
    NDArray keys(ParameterStore ps, NDArray view, int call) {
        if (shuffle == null) {
            return Networks.forward(ps, view, keyBackbone, keyHead);
        }
        int[] order = shuffle.order(Math.toIntExact(view.getShape().get(0)), call);
        NDManager m = view.getManager();
        NDArray shuffled = shuffle.layout().arrange(view.get(m.create(KeyShuffle.asLongs(order))));
        NDArray keys = Networks.forward(ps, shuffled, keyBackbone, keyHead);
        return keys.get(m.create(KeyShuffle.asLongs(KeyShuffle.inverse(order))));
    }

    @Override
    public NDArray loss(ParameterStore ps, NDArray view0, NDArray view1) {
        NDArray q0 = Networks.forward(ps, view0, backbone, head);
        NDArray first = term(q0, key1);
        NDArray q1 = Networks.forward(ps, view1, backbone, head);
        NDArray second = term(q1, key0);
        return first.add(second).mul(0.5f);
    }

    /** One loss term against a snapshot of the queue, then that term's keys are enqueued. */
    NDArray term(NDArray query, NDArray key) {
        NDArray negatives = queue.duplicate();
        negatives.attach(query.getManager()); // the snapshot lives as long as the step's graph
        NDArray loss = QueueInfoNceLoss.compute(query, key, negatives, temperature);
        enqueue(key.normalize(2, 1));
        return loss;
    }

    /** Ring buffer, oldest entries replaced first (lightly's MemoryBankModule). */
    void enqueue(NDArray keys) {
        long n = keys.getShape().get(0);
        long size = queue.getShape().get(0);
        if (pointer + n >= size) {
            queue.set(new NDIndex(pointer + ":"), keys.get("0:" + (size - pointer)));
            pointer = 0;
        } else {
            queue.set(new NDIndex(pointer + ":" + (pointer + n)), keys);
            pointer += n;
        }
    }

    /** key = m key + (1 - m) query, for every parameter (running statistics are each encoder's own). */
    void momentumUpdate() {
        for (Parameter[] pair : emaPairs) {
            try (NDArray scaled = pair[0].getArray().mul((float) (1 - momentum))) {
                pair[1].getArray().muli((float) momentum).addi(scaled);
            }
        }
    }

    private static List<Parameter[]> pairs(Block query, Block key) {
        List<Parameter> q = query.getParameters().values();
        List<Parameter> k = key.getParameters().values();
        List<Parameter[]> pairs = new ArrayList<>();
        for (int i = 0; i < q.size(); i++) {
            Parameter.Type type = q.get(i).getType();
            if (type != Parameter.Type.RUNNING_MEAN && type != Parameter.Type.RUNNING_VAR) {
                pairs.add(new Parameter[] {q.get(i), k.get(i)});
            }
        }
        return pairs;
    }
}
