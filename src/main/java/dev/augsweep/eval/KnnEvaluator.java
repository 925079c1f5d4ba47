package dev.augsweep.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.augsweep.augment.ViewAugmenter;
import dev.augsweep.config.AugmentationSpec;
import dev.augsweep.data.CifarData;
import dev.augsweep.data.CifarSplit;
import dev.augsweep.model.ImageInput;
import dev.augsweep.model.MemoryLayout;

/**
 * kNN accuracy of a backbone: the training split (evaluation transform, normalise only) is the memory bank, the
 * test split the queries; the backbone runs in eval mode (batch-norm running statistics).
 */
public final class KnnEvaluator {
    private static final int BATCH = 500;
    private final CifarData data;
    private final ViewAugmenter transform;
    private final int k;
    private final double temperature;
    private final int[] testLabels;
    private final float[] buffer = new float[BATCH * CifarSplit.IMAGE_BYTES];
    private final ImageInput input;

    public KnnEvaluator(CifarData data, AugmentationSpec spec, int k, double temperature, MemoryLayout layout) {
        this.input = new ImageInput(BATCH, CifarSplit.SIDE, layout);
        this.data = data;
        this.transform = new ViewAugmenter(spec);
        this.k = k;
        this.temperature = temperature;
        this.testLabels = new int[data.test().size()];
        for (int i = 0; i < testLabels.length; i++) {
            testLabels[i] = data.test().label(i);
        }
    }

    /** Top-1 accuracy in [0, 1]. */
    public double top1(Block backbone, ParameterStore ps, NDManager manager) {
        try (NDManager eval = manager.newSubManager()) {
            NDArray bank = features(backbone, ps, eval, data.train());
            long[] labels = new long[data.train().size()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = data.train().label(i);
            }
            NDArray bankLabels = eval.create(labels);
            NDArray queries = features(backbone, ps, eval, data.test());
            return KnnClassifier.top1(bank, bankLabels, queries, testLabels, k, temperature,
                    data.train().classes());
        }
    }

    /** L2-normalised pooled features of a whole split, computed in batches without recording gradients. */
    NDArray features(Block backbone, ParameterStore ps, NDManager eval, CifarSplit split) {
        NDList parts = new NDList();
        int n = CifarSplit.IMAGE_BYTES;
        for (int start = 0; start < split.size(); start += BATCH) {
            int count = Math.min(BATCH, split.size() - start);
            for (int i = 0; i < count; i++) {
                transform.evaluationView(split.pixels(), (start + i) * n, buffer, i * n);
            }
            try (NDManager batch = eval.newSubManager()) {
                NDArray images = input.images(batch, buffer, count);
                NDArray f = backbone.forward(ps, new NDList(images), false).singletonOrThrow().normalize(2, 1);
                f.attach(eval);
                parts.add(f);
            }
        }
        NDArray all = NDArrays.concat(parts, 0);
        parts.close();
        return all;
    }
}
