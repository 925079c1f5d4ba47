package dev.augsweep.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.augsweep.augment.ViewAugmenter;
import dev.augsweep.concentration.AugmentedDistances;
import dev.augsweep.concentration.ClassViews;
import dev.augsweep.concentration.MaxClique;
import dev.augsweep.config.Precision;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.config.TrialConfigs;
import dev.augsweep.data.CifarData;
import dev.augsweep.data.CifarSplit;
import dev.augsweep.device.Devices;
import dev.augsweep.eval.KnnClassifier;
import dev.augsweep.jvm.ChildJvm;
import dev.augsweep.method.Method;
import dev.augsweep.method.Methods;
import dev.augsweep.model.ImageInput;
import dev.augsweep.model.MemoryLayout;
import dev.augsweep.numerics.Autocast;
import dev.augsweep.numerics.OneDnnGuard;
import dev.augsweep.train.ProgressListener;
import dev.augsweep.train.Sgd;
import dev.augsweep.train.TrainingStep;
import dev.augsweep.train.TrialResult;
import dev.augsweep.train.TrialTrainer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** The measurements of `augsweep bench`; each returns one {@link Measure}, medians after warm-up. */
final class Benchmarks {
    private final PrintStream out;
    private final CifarData data;
    private final int threads;
    private final int reps;

    Benchmarks(PrintStream out, CifarData data, int threads, int reps) {
        this.out = out;
        this.data = data;
        this.threads = threads;
        this.reps = reps;
    }

    private static TrialConfig trial(String... overrides) {
        return TrialConfigs.load(null, List.of(overrides));
    }

    int reps() {
        return reps;
    }

    /** Warm-up steps before timing, both sides: oneDNN and the allocator settle over the first steps. */
    static int warmupSteps(double width) {
        return width >= 1 ? 2 : 3;
    }

    /** Timed steps per round, both sides: narrow steps take under a second and vary by ±10%, so take more. */
    int timedSteps(double width) {
        return width >= 1 ? reps : 3 * reps;
    }

    /** Seconds of each timed SimCLR step on random inputs, as the peer measures it, after the same warm-up. */
    double[] trainStepSeconds(double width, int batch) {
        return trainStepSeconds(width, batch, Precision.FP32);
    }

    /** The same in {@code precision} (bf16 through libtorch's autocast, emulated where the CPU lacks it). */
    double[] trainStepSeconds(double width, int batch, Precision precision) {
        TrialConfig t = trial("method=simclr", "width=" + width, "batch-size=" + batch, "device=cpu",
                "threads=" + threads, "precision=" + precision.key(), "precision-emulation=true");
        Devices.configureThreads(threads);
        MemoryLayout layout = MemoryLayout.forNetwork(width); // what the trainer picks
        // The kernels a sweep of this shape gets here (the first shape a process trains fixes its instruction set)
        OneDnnGuard.apply(System.out, new OneDnnGuard.Shape(width, layout, batch));
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Method method = Methods.create(t, layout, manager);
            Sgd sgd = new Sgd(Methods.trainedParameters(method), 0.9, 5e-4);
            sgd.setLearningRate(0.06);
            TrainingStep step = new TrainingStep(method, new ParameterStore(manager, false), sgd, manager, batch,
                    layout, Autocast.forTrial(precision, Device.cpu(), true));
            SplittableRandom rng = new SplittableRandom(0);
            float[] v0 = gaussian(rng, batch * CifarSplit.IMAGE_BYTES);
            float[] v1 = gaussian(rng, batch * CifarSplit.IMAGE_BYTES);
            double[] seconds = new double[timedSteps(width)];
            for (int i = -warmupSteps(width); i < seconds.length; i++) {
                long t0 = System.nanoTime();
                step.run(v0, v1, batch);
                if (i >= 0) {
                    seconds[i] = (System.nanoTime() - t0) / 1e9;
                }
            }
            return seconds;
        }
    }

    /**
     * The host's side of each timed step with a tiny network (the network's arithmetic is what a GPU takes off the
     * host; what remains is this): rows {views of the batch's pairs on one thread, upload of both views (fp32),
     * forward and backward, loss read, SGD} in seconds, the tensors the step created, then the upload of the same
     * views as 8-bit with their normalisation, one column per timed step. The kernels are those a sweep of this shape
     * gets on this machine (the guard's verdict for it).
     */
    double[][] hostStep(double width, int batch) {
        TrialConfig t = trial("method=simclr", "width=" + width, "batch-size=" + batch, "device=cpu",
                "threads=" + threads, "augs=abcde");
        Devices.configureThreads(threads);
        MemoryLayout layout = MemoryLayout.forNetwork(width);
        OneDnnGuard.apply(System.out, new OneDnnGuard.Shape(width, layout, batch));
        ViewAugmenter aug = new ViewAugmenter(t.augmentation());
        CifarSplit split = data.train();
        int n = CifarSplit.IMAGE_BYTES;
        float[][] views = {new float[batch * n], new float[batch * n]};
        byte[][] bytes = {new byte[batch * n], new byte[batch * n]};
        ImageInput bytesInput = new ImageInput(batch, CifarSplit.SIDE, layout);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Method method = Methods.create(t, layout, manager);
            Sgd sgd = new Sgd(Methods.trainedParameters(method), 0.9, 5e-4);
            sgd.setLearningRate(0.06);
            TrainingStep step = new TrainingStep(method, new ParameterStore(manager, false), sgd, manager, batch,
                    layout);
            double[][] parts = new double[7][timedSteps(width)];
            for (int i = -warmupSteps(width); i < parts[0].length; i++) {
                long t0 = System.nanoTime();
                for (int k = 0; k < batch; k++) {
                    int image = ((i + warmupSteps(width)) * batch + k) % split.size();
                    for (int v = 0; v < 2; v++) {
                        aug.augment(split.pixels(), image * n, new SplittableRandom(2L * image + v), views[v], k * n);
                    }
                }
                double viewSeconds = (System.nanoTime() - t0) / 1e9;
                TrainingStep.HostProfile p = step.profile(views[0], views[1], batch);
                for (int k = 0; k < batch; k++) {
                    int image = ((i + warmupSteps(width)) * batch + k) % split.size();
                    for (int v = 0; v < 2; v++) {
                        aug.augment(split.pixels(), image * n, new SplittableRandom(2L * image + v), bytes[v], k * n);
                    }
                }
                long t1 = System.nanoTime();
                try (NDManager sub = manager.newSubManager()) {
                    for (byte[] view : bytes) {
                        bytesInput.images(sub, view, batch, t.augmentation().mean(), t.augmentation().std());
                    }
                }
                double bytesUpload = (System.nanoTime() - t1) / 1e9;
                if (i >= 0) {
                    double[] row = {viewSeconds, p.upload(), p.forwardBackward(), p.lossRead(), p.sgd(), p.tensors(),
                        bytesUpload};
                    for (int r = 0; r < row.length; r++) {
                        parts[r][i] = row[r];
                    }
                }
            }
            return parts;
        }
    }

    /** Seconds of each repetition of {@code views} views through the full (a)-(e) pipeline on one thread. */
    double[] augmentSeconds(int views) {
        ViewAugmenter aug = new ViewAugmenter(trial("augs=abcde").augmentation());
        CifarSplit split = data.train();
        float[] view = new float[CifarSplit.IMAGE_BYTES];
        double[] seconds = new double[reps];
        for (int r = -1; r < reps; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < views; i++) {
                aug.augment(split.pixels(), (i % split.size()) * CifarSplit.IMAGE_BYTES, new SplittableRandom(i), view, 0);
            }
            if (r >= 0) {
                seconds[r] = (System.nanoTime() - t0) / 1e9;
            }
        }
        return seconds;
    }

    /**
     * Seconds per batch of whole CPU-scale epochs (data, augmentation, steps) at width 1/4: epochs 2-4 of one
     * trial (the first warms up), each as seconds per batch so that they pool with the pure step's repetitions.
     */
    double[] epochSecondsPerBatch(int batch) {
        int steps = 20;
        TrialConfig t = trial("width=0.25", "batch-size=" + batch, "train-limit=" + batch * steps, "test-limit=500",
                "epochs=4", "eval-every=4", "threads=" + threads, "device=cpu");
        TrialResult r = new TrialTrainer(quiet()).train(t, data, null);
        return r.epochs().stream().skip(1).mapToDouble(e -> e.trainSeconds() / steps).toArray();
    }

    /** Seconds of kNN on the full sets (random 512-d features) and of the bare product + top-k alone. */
    double[] knnSeconds() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            SplittableRandom rng = new SplittableRandom(3);
            NDArray bank = m.create(gaussian(rng, 50_000 * 512), new Shape(50_000, 512)).normalize(2, 1);
            NDArray queries = m.create(gaussian(rng, 10_000 * 512), new Shape(10_000, 512)).normalize(2, 1);
            long[] labels = new long[50_000];
            int[] queryLabels = new int[10_000];
            Arrays.setAll(labels, i -> i % 10);
            Arrays.setAll(queryLabels, i -> i % 10);
            NDArray bankLabels = m.create(labels);
            double[] knn = new double[reps];
            double[] bare = new double[reps];
            for (int r = -1; r < reps; r++) {
                long t0 = System.nanoTime();
                KnnClassifier.top1(bank, bankLabels, queries, queryLabels, 200, 0.1, 10);
                long t1 = System.nanoTime();
                try (NDManager sub = m.newSubManager()) {
                    NDArray bankT = bank.transpose();
                    bankT.attach(sub);
                    for (int s = 0; s < 10_000; s += 512) {
                        NDArray q = queries.get(s + ":" + Math.min(10_000, s + 512));
                        q.attach(sub);
                        NDList top = q.matMul(bankT).topK(200, 1, true, true);
                        top.get(0).toFloatArray();
                    }
                }
                long t2 = System.nanoTime();
                if (r >= 0) {
                    knn[r] = (t1 - t0) / 1e9;
                    bare[r] = (t2 - t1) / 1e9;
                }
            }
            return new double[] {median(knn), median(bare)};
        }
    }

    /**
     * Seconds of one setting's augmented distances (abcde, 10 classes of 200 images, each with 8 views: the
     * defaults of augsweep concentration) and of the same arithmetic as bare matrix products (each class's full
     * Gram matrix and squared norms, no blocks, no min), medians; and of the whole setting (views, distances,
     * cliques at three deltas) once.
     */
    double[] concentrationSeconds() {
        TrialConfig t = trial("augs=abcde");
        CifarSplit train = data.train();
        int images = 200;
        int v = 9;
        int d = CifarSplit.IMAGE_BYTES;
        long t0 = System.nanoTime();
        float[][] vectors = new float[10][];
        for (int k = 0; k < 10; k++) {
            vectors[k] = ClassViews.pixels(train, ClassViews.firstOfClass(train, k, images), t.augmentation(), v - 1, 0);
        }
        double viewSeconds = (System.nanoTime() - t0) / 1e9;
        double[] ours = new double[reps];
        double[] bare = new double[reps];
        float[][] distances = new float[10][];
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            for (int r = -1; r < reps; r++) {
                long a = System.nanoTime();
                for (int k = 0; k < 10; k++) {
                    distances[k] = AugmentedDistances.compute(m, vectors[k], images, v, d, 50);
                }
                long b = System.nanoTime();
                for (int k = 0; k < 10; k++) {
                    try (NDManager sub = m.newSubManager()) {
                        NDArray x = sub.create(vectors[k], new Shape((long) images * v, d));
                        x.square().sum(new int[] {1}).toFloatArray();
                        x.matMul(x.transpose()).toFloatArray();
                    }
                }
                long c = System.nanoTime();
                if (r >= 0) {
                    ours[r] = (b - a) / 1e9;
                    bare[r] = (c - b) / 1e9;
                }
            }
        }
        long c0 = System.nanoTime();
        for (float[] dk : distances) {
            for (double q : new double[] {0.05, 0.1, 0.25}) {
                float[] sorted = dk.clone();
                java.util.Arrays.sort(sorted);
                MaxClique.of(dk, images, sorted[(int) (q * (sorted.length - 1))], 200_000);
            }
        }
        double cliqueSeconds = (System.nanoTime() - c0) / 1e9;
        return new double[] {median(ours), median(bare), viewSeconds + median(ours) + cliqueSeconds};
    }

    /**
     * Resident memory (MB) after each of 10 epochs of one CPU-scale trial, in a fresh JVM with this one's settings:
     * in this JVM the figure would carry the heap and allocator pages the other benchmarks left.
     */
    double[] residentPerEpoch() {
        return child(MemoryRun.class, List.of(Integer.toString(threads)), MemoryRun.PREFIX).stream()
                .mapToDouble(line -> Double.parseDouble(line.split(" ")[2])).toArray();
    }

    /**
     * {per-trial seconds outside training and evaluation, a smoke trial's own seconds, fixed seconds per sweep} of
     * a local sweep, driven from a fresh JVM as `augsweep run` is (see {@link SweepRun}).
     */
    double[] sweepOverhead() {
        List<String> lines = child(SweepRun.class, List.of(), SweepRun.PREFIX);
        String[] last = lines.get(lines.size() - 1).split(" ");
        return new double[] {Double.parseDouble(last[1]), Double.parseDouble(last[3]), Double.parseDouble(last[5])};
    }

    /**
     * A benchmark's main class in a fresh JVM with this one's flags, class path and environment (jemalloc included),
     * for figures the bench JVM would distort: its heap and allocator pages hold what the other benchmarks left.
     */
    private List<String> child(Class<?> main, List<String> args, String prefix) {
        try {
            Path crashes = Files.createTempDirectory("augsweep-bench-crashes");
            return ChildJvm.run(main, ChildJvm.sameFlags(), args, Map.of(), crashes, prefix, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ProgressListener quiet() {
        return new dev.augsweep.train.ConsoleProgress(new PrintStream(java.io.OutputStream.nullOutputStream()), "");
    }

    private static float[] gaussian(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
