package dev.augsweep.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import dev.augsweep.data.Dataset;
import dev.augsweep.data.DownloadPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/** Builds trials from the packaged defaults, an optional HOCON file and key=value overrides, validating all of it. */
public final class TrialConfigs {
    /**
     * The settings that count something (epochs, images, channels, neighbours, threads): whole numbers, which refuse
     * a fraction rather than truncate it, and which a search draws with intrange or choice only. A test checks that
     * each of them is read as one.
     */
    public static final Set<String> WHOLE_NUMBERS = Set.of("release", "epochs", "batch-size", "seed", "eval-every",
            "train-limit", "test-limit", "knn.k", "threads", "augment-threads", "loss-read-every",
            "simclr.projection-dim", "moco.queue-size", "moco.projection-dim", "moco.split-bn", "simsiam.hidden-dim",
            "simsiam.predictor-dim", "barlowtwins.projection-dim");

    public static final Set<String> METHODS = Set.of("simclr", "moco", "simsiam", "barlowtwins");
    private static final String DEFAULTS = "augsweep-conf/defaults.conf";

    private TrialConfigs() {
    }

    /** The paper's protocol as shipped in conf/defaults.conf (packaged into the jar). */
    public static Config defaults() {
        Config c = ConfigFactory.parseResources(TrialConfigs.class.getClassLoader(), DEFAULTS,
                ConfigParseOptions.defaults().setAllowMissing(false));
        return c.resolve();
    }

    /** The text of the packaged defaults, comments included (what `augsweep config` shows). */
    public static String defaultsText() {
        try (var in = TrialConfigs.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS + " is not on the classpath: rebuild augsweep (mvn package)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEFAULTS, e);
        }
    }

    /** Reads a user HOCON file, turning syntax errors into a message that names the file and line. */
    public static Config parseFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigException(file.toString(), List.of("file " + file + " does not exist"));
        }
        try {
            return ConfigFactory.parseFile(file.toFile(),
                    ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
        } catch (ConfigException e) {
            throw new InvalidConfigException(file.toString(), List.of("cannot parse: " + e.getMessage()));
        }
    }

    /** Defaults, then the file, then the overrides; every problem is reported at once, before any work. */
    public static TrialConfig load(Path file, List<String> overrides) {
        Config user = Overrides.parse(overrides);
        String source = "command line";
        if (file != null) {
            user = user.withFallback(parseFile(file));
            source = file + " + command line";
        }
        return resolve(user, source);
    }

    /** Validates user settings (file and overrides merged) against the defaults and builds the trial. */
    public static TrialConfig resolve(Config user, String source) {
        Config defaults = defaults();
        List<String> problems = new ArrayList<>(KeyCheck.unknownKeys(user, defaults, source));
        Config c;
        try {
            c = user.withFallback(defaults).resolve();
        } catch (ConfigException e) {
            throw new InvalidConfigException(source, List.of(e.getMessage()));
        }
        TrialConfig trial = new Builder(c, problems).build();
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(source, problems);
        }
        return trial;
    }

    /** Reads each key once, recording a problem (key, value, what was expected) instead of stopping at the first. */
    private static final class Builder {
        private final Config c;
        private final List<String> problems;

        Builder(Config c, List<String> problems) {
            this.c = c;
            this.problems = problems;
        }

        TrialConfig build() {
            String method = string("method").toLowerCase(Locale.ROOT);
            if (!METHODS.contains(method)) {
                problems.add("method = '" + method + "' is unknown; expected one of simclr, moco, simsiam, barlowtwins");
            }
            String augs = augs(string("augs"));
            double strength = strength();
            int release = positiveInt("release");
            if (release != 2021 && release != 2022 && release > 0) {
                problems.add("release = " + release + " is unknown; expected 2021 or 2022");
            }
            int epochs = positiveInt("epochs");
            int batchSize = positiveInt("batch-size");
            if (batchSize == 1) {
                problems.add("batch-size = 1 leaves batch norm and the contrastive losses undefined; use 2 or more");
            }
            double width = positiveDouble("width");
            int trainLimit = limit("train-limit");
            int testLimit = limit("test-limit");
            if (trainLimit != TrialConfig.ALL && batchSize > trainLimit) {
                problems.add("batch-size = " + batchSize + " is larger than train-limit = " + trainLimit
                        + ", so no full batch exists; lower batch-size or raise train-limit");
            }
            AugmentationSpec.Augment base = augment();
            double colorJitterP = number("augment.color-jitter-p." + release, 1.0);
            AugmentationSpec aug = "color".equals(augs)
                    ? AugmentationSpec.forColorStrength(strength, colorJitterP, base)
                    : AugmentationSpec.forLetters(augs, base);
            MethodParams mp = new MethodParams(
                    positiveDouble("simclr.temperature"), positiveInt("simclr.projection-dim"),
                    probability("moco.momentum"), positiveInt("moco.queue-size"),
                    positiveDouble("moco.temperature"), positiveInt("moco.projection-dim"), positiveInt("moco.split-bn"),
                    bool("moco.batch-shuffle"),
                    positiveInt("simsiam.hidden-dim"), positiveInt("simsiam.predictor-dim"),
                    nonNegative("barlowtwins.lambda"), positiveInt("barlowtwins.projection-dim"));
            if ("moco".equals(method) && mp.mocoQueueSize() % Math.max(1, batchSize) != 0 && batchSize > 0) {
                problems.add("moco.queue-size = " + mp.mocoQueueSize() + " is not a multiple of batch-size = "
                        + batchSize + "; the queue must hold whole batches");
            }
            if ("moco".equals(method) && batchSize > 0 && batchSize % mp.mocoSplitBatchNorm() != 0) {
                problems.add("batch-size = " + batchSize + " is not a multiple of moco.split-bn = "
                        + mp.mocoSplitBatchNorm() + " (the simulated devices each take an equal share); "
                        + "change batch-size, or set moco.split-bn=1 for plain batch norm");
            }
            Dataset dataset = dataset();
            String viewUpload = oneOf("view-upload", "auto|fp32|uint8", "auto (uint8 on a GPU, fp32 on a CPU), fp32 "
                    + "or uint8");
            String layout = oneOf("layout", "auto|nchw|channels-last", "auto (channels-last where libtorch is known "
                    + "to compute it correctly, NCHW elsewhere), nchw or channels-last");
            TrialConfig.Runtime runtime = new TrialConfig.Runtime(data(dataset), download(), device(),
                    nonNegativeInt("threads"), autoOrPositive("augment-threads"), autoOrPositive("loss-read-every"),
                    viewUpload, layout,
                    bool("precision-emulation"));
            return new TrialConfig(dataset, method, augs, strength, nonNegativeInt("seed"), release, epochs, batchSize,
                    width, trainLimit, testLimit, positiveInt("eval-every"), lr(method, release),
                    nonNegative("momentum"), nonNegative("weight-decay"), bool("model.stem-relu"), mp, aug,
                    positiveInt("knn.k"), positiveDouble("knn.temperature"), precision(), runtime);
        }

        private String augs(String raw) {
            String v = raw.trim().toLowerCase(Locale.ROOT);
            if (v.equals("color")) {
                return v;
            }
            StringBuilder bad = new StringBuilder();
            boolean[] seen = new boolean[5];
            for (char ch : v.toCharArray()) {
                if (ch < 'a' || ch > 'e') {
                    bad.append(ch);
                } else {
                    seen[ch - 'a'] = true;
                }
            }
            if (v.isEmpty() || bad.length() > 0) {
                problems.add("augs = '" + raw + "'" + (bad.length() > 0 ? " has letters outside abcde ('" + bad + "')" : " is empty")
                        + "; expected a subset of abcde (a crop, b blur, c grayscale, d colour jitter, e flip) or 'color'");
                return v;
            }
            StringBuilder canonical = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                if (seen[i]) {
                    canonical.append((char) ('a' + i));
                }
            }
            return canonical.toString();
        }

        private double strength() {
            String raw = string("strength");
            try {
                int slash = raw.indexOf('/');
                double s = slash > 0
                        ? Double.parseDouble(raw.substring(0, slash)) / Double.parseDouble(raw.substring(slash + 1))
                        : Double.parseDouble(raw);
                if (!(s > 0) || Double.isInfinite(s)) {
                    problems.add("strength = " + raw + " must be positive (the paper used 1/8, 1/4, 1/2, 1)");
                }
                return s;
            } catch (NumberFormatException e) {
                problems.add("strength = '" + raw + "' is not a number or fraction such as 0.5 or 1/8");
                return 1;
            }
        }

        /** auto (0: decided where the trial runs, by the device package) or a positive count. */
        private int autoOrPositive(String key) {
            return string(key).equals("auto") ? TrialConfig.Runtime.AUTO : positiveInt(key);
        }

        private double lr(String method, int release) {
            String raw = string("lr");
            if (!raw.equals("auto")) {
                return positiveDouble("lr");
            }
            String path = "learning-rates.\"" + release + "\"." + method;
            if (!c.hasPath(path)) {
                if (METHODS.contains(method)) {
                    problems.add("release " + release + " has no learning rate for " + method
                            + "; set lr=<value> or use release=2022");
                }
                return 0;
            }
            return positiveDouble(path);
        }

        private AugmentationSpec.Augment augment() {
            return new AugmentationSpec.Augment(probability("augment.crop-min-scale"), probability("augment.flip-p"),
                    probability("augment.jitter-p"), nonNegative("augment.jitter"), bounded("augment.hue", 0.5),
                    probability("augment.gray-p"), probability("augment.blur-p"), positiveDouble("augment.blur-sigma"),
                    triple("augment.mean"), triple("augment.std"));
        }

        private float[] triple(String key) {
            float[] v = new float[3];
            List<Double> list = attempt(key, () -> c.getDoubleList(key), List.of(), "a list of three numbers");
            if (list.size() != 3) {
                problems.add(key + " must be three numbers (R, G, B), got " + list.size());
                return new float[] {0, 0, 1};
            }
            for (int i = 0; i < 3; i++) {
                v[i] = list.get(i).floatValue();
            }
            return v;
        }

        private String device() {
            String d = string("device").toLowerCase(Locale.ROOT);
            if (!d.matches("auto|cpu|gpu|gpu:\\d+")) {
                problems.add("device = '" + d + "' is unknown; expected auto, cpu, gpu or gpu:N");
            }
            return d;
        }

        private Dataset dataset() {
            String d = string("dataset").toLowerCase(Locale.ROOT);
            if (!d.matches("cifar10|cifar100")) {
                problems.add("dataset = '" + d + "' is unknown; expected cifar10 or cifar100");
                return Dataset.CIFAR10;
            }
            return Dataset.of(d);
        }

        /** auto: the dataset's entry under data-paths. */
        private String data(Dataset dataset) {
            String d = string("data");
            return d.equals("auto") ? string("data-paths." + dataset.key()) : d;
        }

        private DownloadPolicy download() {
            String raw = string("download");
            return DownloadPolicy.of(raw).orElseGet(() -> {
                problems.add("download = '" + raw + "' is unknown; expected auto (fetch the official archive into "
                        + "the user cache where data is missing), true (fetch it to the data path) or false (never)");
                return DownloadPolicy.NEVER;
            });
        }

        private Precision precision() {
            Precision p = Precision.of(string("precision"));
            if (p == null) {
                problems.add("precision = '" + string("precision") + "' is unknown; expected fp32 (the paper's), bf16 "
                        + "(CPUs with AVX512_BF16 or AMX, GPUs from Ampere on) or fp16 (GPUs)");
                return Precision.FP32;
            }
            return p;
        }

        /** The setting {@code key}, one of the words of {@code pattern} (a|b|c); else a problem saying what each means. */
        private String oneOf(String key, String pattern, String expected) {
            String v = string(key).toLowerCase(Locale.ROOT);
            if (!v.matches(pattern)) {
                problems.add(key + " = '" + v + "' is unknown; expected " + expected);
            }
            return v;
        }

        private int limit(String key) {
            String raw = string(key);
            if (raw.equals("all")) {
                return TrialConfig.ALL;
            }
            return positiveInt(key);
        }

        private String string(String key) {
            return attempt(key, () -> c.getString(key), "", "a string");
        }

        private boolean bool(String key) {
            return attempt(key, () -> c.getBoolean(key), false, "true or false");
        }

        private double number(String key, double fallback) {
            return c.hasPath(key) ? attempt(key, () -> c.getDouble(key), fallback, "a number") : fallback;
        }

        private int positiveInt(String key) {
            Integer read = WholeNumber.read(c, key, key, null, problems);
            int v = read == null ? 1 : read;
            if (v <= 0) {
                problems.add(key + " = " + v + " must be positive");
            }
            return v;
        }

        private int nonNegativeInt(String key) {
            Integer read = WholeNumber.read(c, key, key, null, problems);
            int v = read == null ? 0 : read;
            if (v < 0) {
                problems.add(key + " = " + v + " must be zero or positive");
            }
            return v;
        }

        private double positiveDouble(String key) {
            double v = attempt(key, () -> c.getDouble(key), 1.0, "a number");
            if (!(v > 0) || Double.isInfinite(v)) {
                problems.add(key + " = " + v + " must be positive");
            }
            return v;
        }

        private double nonNegative(String key) {
            double v = attempt(key, () -> c.getDouble(key), 0.0, "a number");
            if (!(v >= 0) || Double.isInfinite(v)) {
                problems.add(key + " = " + v + " must be zero or positive");
            }
            return v;
        }

        private double probability(String key) {
            return bounded(key, 1.0);
        }

        private double bounded(String key, double max) {
            double v = attempt(key, () -> c.getDouble(key), 0.0, "a number");
            if (!(v >= 0 && v <= max)) {
                problems.add(key + " = " + v + " must be between 0 and " + max);
            }
            return v;
        }

        private <T> T attempt(String key, Supplier<T> read, T fallback, String expected) {
            try {
                return read.get();
            } catch (ConfigException.Missing e) {
                problems.add(key + " is missing; expected " + expected);
            } catch (ConfigException e) {
                String origin = e.origin() == null ? "" : " (" + e.origin().description() + ")";
                problems.add(key + " = '" + rawValue(key) + "' is not " + expected + origin);
            }
            return fallback;
        }

        private String rawValue(String key) {
            try {
                return String.valueOf(c.getValue(key).unwrapped());
            } catch (ConfigException e) {
                return "?";
            }
        }
    }
}
