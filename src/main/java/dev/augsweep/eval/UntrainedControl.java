package dev.augsweep.eval;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import dev.augsweep.augment.ViewAugmenter;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.data.CifarData;
import dev.augsweep.data.CifarSplit;
import dev.augsweep.method.Methods;
import dev.augsweep.model.ImageInput;
import dev.augsweep.model.MemoryLayout;
import dev.augsweep.storage.Storage;
import dev.augsweep.storage.StorePath;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A trial's untrained control: kNN accuracy of its network before any training step, scored exactly as its trained
 * epochs are. kNN on random convolutional features is far above chance (about 23% on CIFAR-10 at width 1/8), so a
 * trial's accuracy means something only as a gain over this. Batch-norm running statistics are estimated first on
 * the training images (forward passes in training mode, no weight update): with the initial (0, 1) statistics the
 * features would be the untrained network's worst case, not its own.
 *
 * <p>The control depends on the initial network (seed, width, stem, batch-norm splits), the data and the kNN, not on
 * the augmentations or the rest of the method, so every cell of a sweep shares each seed's control: it is computed
 * once per instance and kept in a cache directory (the results directory's {@code controls/}) for other workers.
 */
public final class UntrainedControl {
    /** Batches of statistics: at PyTorch's momentum 0.1 the initial statistics keep 0.9^50 < 0.6% of the weight. */
    static final int STATISTICS_BATCHES = 50;
    private final Map<String, Double> memo = new ConcurrentHashMap<>();
    private final StorePath cacheDir;

    /** @param cacheDir where controls are shared between processes, or null to keep them in this JVM only */
    public UntrainedControl(StorePath cacheDir) {
        this.cacheDir = cacheDir;
    }

    /** Top-1 accuracy in [0, 1] of the trial's initial network on {@code data} (already limited to the trial's). */
    public double top1(TrialConfig trial, CifarData data, MemoryLayout layout, NDManager manager) {
        String key = key(trial, data);
        Double known = memo.get(key);
        if (known == null) {
            known = read(key);
        }
        if (known == null) {
            known = compute(trial, data, layout, manager);
            write(key, trial, known);
        }
        memo.put(key, known);
        return known;
    }

    private static double compute(TrialConfig trial, CifarData data, MemoryLayout layout, NDManager manager) {
        try (NDManager control = manager.newSubManager()) {
            Block backbone = Methods.initialBackbone(trial, layout, control);
            ParameterStore ps = new ParameterStore(control, false);
            estimateStatistics(trial, data, layout, backbone, ps, control);
            return new KnnEvaluator(data, trial.augmentation(), trial.knnK(), trial.knnTemperature(), layout)
                    .top1(backbone, ps, control);
        }
    }

    /** Training-mode forward passes over the training images (evaluation view) in the trial's batch size. */
    private static void estimateStatistics(TrialConfig trial, CifarData data, MemoryLayout layout, Block backbone,
                                           ParameterStore ps, NDManager manager) {
        int batch = Math.min(trial.batchSize(), data.train().size());
        int batches = data.train().size() / batch;
        int n = CifarSplit.IMAGE_BYTES;
        float[] buffer = new float[batch * n];
        ViewAugmenter transform = new ViewAugmenter(trial.augmentation());
        ImageInput input = new ImageInput(batch, CifarSplit.SIDE, layout);
        for (int b = 0; b < STATISTICS_BATCHES; b++) {
            int start = (b % batches) * batch;
            for (int i = 0; i < batch; i++) {
                transform.evaluationView(data.train().pixels(), (start + i) * n, buffer, i * n);
            }
            try (NDManager step = manager.newSubManager()) {
                backbone.forward(ps, new NDList(input.images(step, buffer, batch)), true);
            }
        }
    }

    /** What the control depends on, hashed; readable enough to tell cached files apart. */
    static String key(TrialConfig t, CifarData data) {
        String identity = String.format(Locale.ROOT, "%s|%d|%d|%s|%s|%d|%d|%d|%s|%d|%s", t.dataset().key(),
                data.train().size(), data.test().size(), t.width(), t.stemRelu(), Methods.batchNormSplits(t), t.seed(),
                t.knnK(), t.knnTemperature(), t.batchSize(),
                java.util.Arrays.toString(t.augmentation().mean()) + java.util.Arrays.toString(t.augmentation().std()));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return t.dataset().key() + "-seed" + t.seed() + "-" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Double read(String key) {
        if (cacheDir == null || !Storage.isFile(file(key))) {
            return null;
        }
        try {
            return ConfigFactory.parseString(Storage.readString(file(key))).getDouble("knn_top1");
        } catch (RuntimeException e) {
            return null; // a damaged cache file is computed again
        }
    }

    /** Replaced whole (Storage.write), so concurrent workers never read half a file. */
    private void write(String key, TrialConfig trial, double top1) {
        if (cacheDir == null) {
            return;
        }
        Storage.writeString(file(key), ConfigValueFactory.fromMap(Map.of("knn_top1", top1, "first_trial", trial.id()))
                .render(ConfigRenderOptions.concise()) + "\n");
    }

    private StorePath file(String key) {
        return cacheDir.resolve(key + ".json");
    }
}
