package dev.augsweep.config;

import dev.augsweep.data.Dataset;
import dev.augsweep.data.DownloadPolicy;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One fully resolved trial: everything that decides its result, plus where and how it runs. Immutable and
 * serialisable so a Spark driver can ship it to an executor.
 */
public record TrialConfig(
        Dataset dataset,
        String method,
        String augs,
        double strength,
        int seed,
        int release,
        int epochs,
        int batchSize,
        double width,
        int trainLimit,
        int testLimit,
        int evalEvery,
        double lr,
        double momentum,
        double weightDecay,
        boolean stemRelu,
        MethodParams methodParams,
        AugmentationSpec augmentation,
        int knnK,
        double knnTemperature,
        Precision precision,
        Runtime runtime) implements Serializable {

    /** Limits use 0 for "the whole split". */
    public static final int ALL = 0;

    /**
     * Where and how the trial runs; none of it changes the result beyond fp32 rounding (libtorch's reductions
     * depend on the thread count and the memory layout), which is why results record threads and layout.
     *
     * @param download           what to do where {@code data} is missing (see {@code data.DataLocation})
     * @param augmentThreads     threads making augmented views, or {@link #AUTO}
     * @param lossReadEvery      steps between reads of the summed loss, or {@link #AUTO}
     * @param viewUpload         how views reach the device: auto, fp32 or uint8 (see {@code device.ViewUpload})
     * @param layout             auto, nchw or channels-last (see {@code model.MemoryLayout})
     * @param precisionEmulation run a 16-bit precision where the hardware lacks it, on libtorch's slow path (tests)
     */
    public record Runtime(String data, DownloadPolicy download, String device, int threads, int augmentThreads,
                          int lossReadEvery, String viewUpload, String layout, boolean precisionEmulation) implements Serializable {
        /** {@code augmentThreads} and {@code lossReadEvery} left to the device: see {@code device.AugmentThreads}. */
        public static final int AUTO = 0;

        public Runtime withData(String d) {
            return new Runtime(d, download, device, threads, augmentThreads, lossReadEvery, viewUpload, layout, precisionEmulation);
        }

        public Runtime withDevice(String d, int t) {
            return new Runtime(data, download, d, t, augmentThreads, lossReadEvery, viewUpload, layout, precisionEmulation);
        }

        public Runtime withLayout(String l) {
            return new Runtime(data, download, device, threads, augmentThreads, lossReadEvery, viewUpload, l, precisionEmulation);
        }
    }

    /** The same trial run elsewhere or otherwise (device, threads, data location); its id does not change. */
    public TrialConfig withRuntime(Runtime r) {
        return new TrialConfig(dataset, method, augs, strength, seed, release, epochs, batchSize, width, trainLimit,
                testLimit, evalEvery, lr, momentum, weightDecay, stemRelu, methodParams, augmentation, knnK,
                knnTemperature, precision, r);
    }

    /** The settings that decide the result, in a fixed order: the basis of the trial id and of result rows. */
    public Map<String, Object> identity() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", dataset.key());
        m.put("method", method);
        m.put("augs", augs);
        m.put("strength", strength);
        m.put("seed", seed);
        m.put("release", release);
        m.put("epochs", epochs);
        m.put("batch_size", batchSize);
        m.put("width", width);
        m.put("train_limit", trainLimit);
        m.put("test_limit", testLimit);
        m.put("eval_every", evalEvery);
        m.put("lr", lr);
        m.put("momentum", momentum);
        m.put("weight_decay", weightDecay);
        m.put("stem_relu", stemRelu);
        m.put("method_params", methodParams.toString());
        m.put("augmentation", augmentationKey());
        m.put("knn_k", knnK);
        m.put("knn_t", knnTemperature);
        if (precision != Precision.FP32) { // fp32 trials keep the ids they had before precision was a setting
            m.put("precision", precision.key());
        }
        return m;
    }

    /** Stable id: the same settings always give the same id, on any machine; CIFAR-100 trials say so first. */
    public String id() {
        return prefix() + method + "-" + augs + "-s" + strengthLabel() + "-seed" + seed + "-" + hash(identity());
    }

    /**
     * The trial's cell: every setting that decides its result but the seed. A cell's trials are its seeds, the
     * samples that tables, verdicts and the halving schedule compare; nothing else ever groups trials.
     */
    public Map<String, Object> cellIdentity() {
        Map<String, Object> m = new LinkedHashMap<>(identity());
        m.remove("seed");
        return m;
    }

    /** The cell's stable id, as readable as the trial id: "simclr-abcde-s1-3f9a0c21bd". */
    public String cellId() {
        return prefix() + method + "-" + augs + "-s" + strengthLabel() + "-" + hash(cellIdentity());
    }

    /**
     * The cell's settings as JSON, recorded with each trial so that reports can name what tells two cells apart;
     * precision always (the id leaves fp32 out).
     */
    public String cellSettingsJson() {
        Map<String, Object> settings = new LinkedHashMap<>(cellIdentity());
        settings.putIfAbsent("precision", precision.key());
        return com.typesafe.config.ConfigValueFactory.fromMap(settings)
                .render(com.typesafe.config.ConfigRenderOptions.concise());
    }

    private String prefix() {
        return dataset == Dataset.CIFAR10 ? "" : dataset.key() + "-";
    }

    private static String hash(Map<String, Object> settings) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(settings.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Strength as users write it, 1/8 rather than 0.125 ("1_8" in ids, which name directories). */
    public String strengthLabel() {
        return Fractions.format(strength).replace('/', '_');
    }

    private String augmentationKey() {
        AugmentationSpec a = augmentation;
        return String.format(java.util.Locale.ROOT, "crop%.4f flip%.3f jit%.3f/%.4f/%.4f gray%.3f blur%.3f/%.3f",
                a.cropMinScale(), a.flipP(), a.jitterP(), a.jitter(), a.hue(), a.grayP(), a.blurP(), a.blurSigma());
    }
}
