package dev.augsweep.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import dev.augsweep.augment.ViewAugmenter;
import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.config.Precision;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.config.TrialConfigs;
import dev.augsweep.data.CifarSplit;
import dev.augsweep.method.KeyShuffle;
import dev.augsweep.method.LossSensitivity;
import dev.augsweep.method.Method;
import dev.augsweep.method.Methods;
import dev.augsweep.model.MemoryLayout;
import dev.augsweep.numerics.Autocast;
import dev.augsweep.testing.Bf16LossBound;
import dev.augsweep.testing.NumericsSuite;
import dev.augsweep.testing.PeerPython;
import dev.augsweep.testing.RanHere;
import dev.augsweep.testing.TestData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One training step of each method in augsweep and in the paper's own code (PyTorch, lightly 1.0.8's losses and
 * MoCo, torch.optim.SGD; src/test/python/parity.py), from the same initial weights and the same views: loss,
 * every gradient, every weight and running statistic after the step, MoCo's key encoder and queue. Both run in
 * float64, so that what remains is a difference in what is computed, not rounding (which batch norm's backward
 * pass magnifies to 1e-2 in fp32; LayoutCheck).
 */
class PyTorchParityTest {
    private static final int BATCH = 16;
    /** Enough for the queue to wrap three times, and short enough for fp64 on two cores. */
    private static final int STEPS = 6;

    @ParameterizedTest
    @ValueSource(strings = {"simclr", "moco", "simsiam", "barlowtwins"})
    void oneStepMatchesThePapersCode(String method, @TempDir Path dir) throws Exception {
        step(method, "fp64", dir);
    }

    /**
     * bf16 against PyTorch's own {@code torch.autocast("cpu", torch.bfloat16)} around each network, losses in fp32.
     * bf16 keeps an 8-bit mantissa, and batch norm's backward pass magnifies rounding (LayoutCheck), so a bf16 step's
     * gradients stand tens of percent from fp32's on both stacks (random views, untrained networks), and the two
     * stacks do not round at the same places (PyTorch 1.13's autocast lists and kernels are not libtorch 2.7.1's).
     * What bf16 implies is therefore measured, not assumed: each side's bf16 step against its own fp32 step from the
     * same weights and views. The loss must move no further than bf16 rounding of the outputs explains
     * ({@link Bf16LossBound}, absolute: SimSiam's loss is near zero), on both stacks; the gradients (relative L2,
     * well-conditioned) no more than PyTorch's autocast moves its own, within 1.5 times plus 1% (the two stacks round
     * at different places, so their errors are two draws of the same size, not the same number), and they must move
     * (autocast is on).
     */
    @Tag(NumericsSuite.TAG)
    @ParameterizedTest
    @ValueSource(strings = {"simclr", "moco", "simsiam", "barlowtwins"})
    void aBf16StepStraysFromFp32NoMoreThanPyTorchAutocast(String method, @TempDir Path dir) throws Exception {
        if (!Autocast.cpuHasBf16Kernels()) {
            // Without trustworthy bf16 kernels (none, or the guard switched them off) bf16 is emulated, a path whose
            // rounding is not PyTorch's autocast kernels': what augsweep promises there is to refuse it unasked.
            System.out.println("bf16 parity not measurable on this CPU: its bf16 kernels are off; checking the refusal");
            assertThatThrownBy(() -> Autocast.forTrial(Precision.BF16, Device.cpu(), false))
                    .isInstanceOf(InvalidConfigException.class).hasMessageContaining("precision-emulation = true");
            return;
        }
        Step fp32 = step(method, "fp32", dir.resolve("fp32"));
        Step bf16 = step(method, "bf16", dir.resolve("bf16"));
        // Absolute, against what bf16 rounding of the outputs explains (Bf16LossBound): a relative error of
        // SimSiam's near-zero loss is no measure. PyTorch's own autocast is the control: the bound holds for it too.
        double oursLoss = Math.abs(bf16.ours() - fp32.ours());
        double theirsLoss = Math.abs(bf16.theirs() - fp32.theirs());
        double bound = Bf16LossBound.of(trial(method), fp32.ours());
        String where = RanHere.describe();
        assertThat(theirsLoss).as("PyTorch's loss moved by bf16 on %s", where).isLessThanOrEqualTo(bound);
        assertThat(oursLoss).as("loss moved by bf16: ours %s, PyTorch's %s on %s", oursLoss, theirsLoss, where)
                .isLessThanOrEqualTo(bound);
        double ours = relativeL2(pairs(bf16.grads(), fp32.grads(), 0));
        double theirs = relativeL2(pairs(bf16.grads(), fp32.grads(), 1));
        System.out.printf(java.util.Locale.ROOT, "bf16 parity %s on %s: loss moved %.2e (PyTorch %.2e, bound %.2e), "
                + "gradients %.3f (PyTorch %.3f)%n", method, where, oursLoss, theirsLoss, bound, ours, theirs);
        assertThat(ours).as("gradients moved by bf16 (relative L2): ours %s, PyTorch's %s on %s", ours, theirs, where)
                .isLessThanOrEqualTo(1.5 * theirs + 1e-2).isGreaterThan(1e-4);
    }

    private static TrialConfig trial(String method) {
        return TrialConfigs.load(null, List.of("method=" + method, "width=0.125", "batch-size=" + BATCH,
                "moco.queue-size=64", "simsiam.hidden-dim=64", "simsiam.predictor-dim=16",
                "barlowtwins.projection-dim=64", "seed=3"));
    }

    /** One step's loss and gradients, ours and PyTorch's: ({ours, theirs}) per trained parameter. */
    private record Step(double ours, double theirs, List<double[][]> grads) {
    }

    /** Side {@code side} (0 ours, 1 PyTorch's) of two steps, paired parameter by parameter. */
    private static List<double[][]> pairs(List<double[][]> a, List<double[][]> b, int side) {
        List<double[][]> pairs = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            pairs.add(new double[][] {a.get(i)[side], b.get(i)[side]});
        }
        return pairs;
    }

    /**
     * One step on both stacks. fp64: everything in float64, every value checked here; fp32 and bf16: fp32 weights
     * (bf16: under autocast), returned for the caller to compare.
     */
    private static Step step(String method, String mode, Path dir) throws Exception {
        Files.createDirectories(dir);
        boolean exact = mode.equals("fp64");
        Precision precision = mode.equals("bf16") ? Precision.BF16 : Precision.FP32;
        TrialConfig trial = trial(method);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Method ours = Methods.create(trial, MemoryLayout.NCHW, m, exact ? DataType.FLOAT64 : DataType.FLOAT32);
            double[][] views = views(trial, 0);
            NDArray x0 = input(m, views[0], !exact);
            NDArray x1 = input(m, views[1], !exact);
            Start start = Start.of(ours, dir);
            Map<String, Object> manifest = manifest(trial, ours, mode, start);
            manifest.put("lr", trial.lr());
            manifest.put("views", List.of(write(dir, "view0", views[0], new long[] {BATCH, 3, 32, 32}),
                    write(dir, "view1", views[1], new long[] {BATCH, 3, 32, 32})));
            KeyShuffle shuffle = new KeyShuffle(trial.seed(), MemoryLayout.NCHW); // what MoCo's first step draws
            manifest.put("shuffles", List.of(ints(shuffle.order(BATCH, 0)), ints(shuffle.order(BATCH, 1))));
            Config theirs = runPeer(dir, manifest);

            Map<String, Parameter> trained = Methods.trainedParameters(ours);
            Sgd sgd = new Sgd(trained, trial.momentum(), trial.weightDecay());
            sgd.setLearningRate(trial.lr());
            TrainingStep step = new TrainingStep(ours, new ParameterStore(m, false), sgd, m, BATCH, MemoryLayout.NCHW,
                    Autocast.forTrial(precision, Device.cpu(), true));
            double loss = step.lossAndGradients(x0, x1).toType(DataType.FLOAT64, false).getDouble();
            if (!exact) {
                List<double[][]> grads = new ArrayList<>();
                List<String> gradFiles = theirs.getStringList("grads");
                for (Parameter p : trained.values()) {
                    grads.add(new double[][] {p.getArray().getGradient().toType(DataType.FLOAT64, false)
                            .toDoubleArray(), read(dir.resolve(gradFiles.get(grads.size())))});
                }
                return new Step(loss, theirs.getDouble("loss"), grads);
            }
            // Against the loss's terms, not itself (SimSiam's is near zero): fp64 rounding (2^-53) over reductions
            // of at most 10^4 terms through two dozen layers stays under 1e-10 of them, and a difference in what is
            // computed (a term left out, a wrong temperature) is of their own size.
            double scale = LossSensitivity.of(method, trial.methodParams(), loss);
            assertThat(Math.abs(loss - theirs.getDouble("loss"))).as("loss %s vs %s (terms of size %s)", loss,
                    theirs.getDouble("loss"), scale).isLessThan(1e-9 * scale);
            List<String> gradFiles = theirs.getStringList("grads");
            List<double[][]> grads = new ArrayList<>();
            for (Parameter p : trained.values()) {
                grads.add(new double[][] {p.getArray().getGradient().toType(DataType.FLOAT64, false).toDoubleArray(),
                        read(dir.resolve(gradFiles.get(grads.size())))});
            }
            List<String> names = new ArrayList<>(trained.keySet());
            // Gradients that are zero in exact arithmetic (a linear bias before batch norm) are rounding noise on
            // both sides: each is measured against the scale of all of them. fp32 hyperparameters (batch norm's
            // momentum 0.9f, SGD's 0.06f) leave differences of ~2e-7.
            assertAgree(grads, names, "gradient of", 1e-6);
            sgd.step();
            start.assertAgreesAfter(dir, theirs, "after the step:", 1e-6);
            if (method.equals("moco")) {
                assertThat(ours.counters().get("queue_pointer")).isEqualTo(theirs.getLong("queue_pointer"));
            }
            return new Step(loss, theirs.getDouble("loss"), grads);
        }
    }

    /**
     * MoCo over {@link #STEPS} steps against the paper's code, every step on new views at a new learning rate: the
     * state a run carries from one step to the next (the queue filling and wrapping round, the key shuffle's step
     * counter, the key encoder's moving average, SGD's momentum buffers, batch norm's running statistics) must be
     * the paper's after every step, which one step cannot show. A defect there builds up over an epoch (issue 48's
     * stalled runs) and would show here as a loss that parts from PyTorch's at the step where the state first
     * differs. fp64; each step's fp32 hyperparameters (batch norm's and SGD's momentum, the learning rate) leave up
     * to ~2e-7 (one step's test), and those add up over the steps: K x 1e-6.
     */
    @org.junit.jupiter.api.Test
    void mocoOverSeveralStepsMatchesThePapersCode(@TempDir Path dir) throws Exception {
        TrialConfig trial = trial("moco"); // queue 64, batch 16: each step enqueues 32 keys, so it wraps every 2
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Method ours = Methods.create(trial, MemoryLayout.NCHW, m, DataType.FLOAT64);
            Start start = Start.of(ours, dir);
            Map<String, Object> manifest = manifest(trial, ours, "fp64", start);
            KeyShuffle shuffle = new KeyShuffle(trial.seed(), MemoryLayout.NCHW);
            List<Map<String, Object>> steps = new ArrayList<>();
            List<double[][]> views = new ArrayList<>();
            double[] lrs = new double[STEPS];
            for (int k = 0; k < STEPS; k++) {
                // a cosine schedule over the steps, as the trainer's over epochs, so that each step has its own rate
                lrs[k] = trial.lr() * 0.5 * (1 + Math.cos(Math.PI * k / STEPS));
                views.add(views(trial, k));
                steps.add(Map.of("lr", lrs[k], "views", List.of(
                        write(dir, "view0-" + k, views.get(k)[0], new long[] {BATCH, 3, 32, 32}),
                        write(dir, "view1-" + k, views.get(k)[1], new long[] {BATCH, 3, 32, 32})),
                        "shuffles", List.of(ints(shuffle.order(BATCH, 0)), ints(shuffle.order(BATCH, 1)))));
                shuffle.restore(k + 1); // the counter MoCo's next step draws from
            }
            manifest.put("steps", steps);
            Config theirs = runPeer(dir, manifest);

            Sgd sgd = new Sgd(Methods.trainedParameters(ours), trial.momentum(), trial.weightDecay());
            TrainingStep step = new TrainingStep(ours, new ParameterStore(m, false), sgd, m, BATCH, MemoryLayout.NCHW,
                    Autocast.forTrial(Precision.FP32, Device.cpu(), true));
            List<Double> theirLosses = theirs.getDoubleList("losses");
            double tolerance = STEPS * 1e-6;
            for (int k = 0; k < STEPS; k++) {
                sgd.setLearningRate(lrs[k]);
                try (NDManager batch = m.newSubManager()) {
                    double loss = step.lossAndGradients(input(batch, views.get(k)[0], false),
                            input(batch, views.get(k)[1], false)).toType(DataType.FLOAT64, false).getDouble();
                    sgd.step();
                    double scale = LossSensitivity.of("moco", trial.methodParams(), loss);
                    assertThat(Math.abs(loss - theirLosses.get(k))).as("step %d's loss: ours %s, PyTorch's %s", k,
                            loss, theirLosses.get(k)).isLessThan(tolerance * scale);
                }
            }
            start.assertAgreesAfter(dir, theirs, "after " + STEPS + " steps:", tolerance);
            assertThat(ours.counters().get("queue_pointer")).isEqualTo(theirs.getLong("queue_pointer"));
        }
    }

    /** The arrays a method starts from, written for the peer (block, index, file), to be compared after training. */
    private record Start(List<NDArray> arrays, List<Map<String, Object>> entries) {
        static Start of(Method ours, Path dir) {
            List<NDArray> arrays = new ArrayList<>();
            List<Map<String, Object>> entries = new ArrayList<>();
            for (Map.Entry<String, Block> b : ours.checkpointBlocks().entrySet()) {
                int index = 0;
                for (Pair<String, Parameter> p : b.getValue().getParameters()) {
                    entries.add(entry(dir, b.getKey(), index++, p.getValue().getArray(), arrays.size()));
                    arrays.add(p.getValue().getArray());
                }
            }
            ours.extraArrays().forEach((name, a) -> {
                entries.add(entry(dir, name, 0, a, arrays.size()));
                arrays.add(a);
            });
            return new Start(arrays, entries);
        }

        /** Every array (weights, running statistics, key encoder, queue) as the peer left it. */
        void assertAgreesAfter(Path dir, Config theirs, String what, double tolerance) throws Exception {
            List<String> after = theirs.getStringList("arrays");
            List<double[][]> states = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < arrays.size(); i++) {
                states.add(new double[][] {arrays.get(i).toType(DataType.FLOAT64, false).toDoubleArray(),
                        read(dir.resolve(after.get(i)))});
                names.add(entries.get(i).get("block") + "[" + entries.get(i).get("index") + "]");
            }
            assertAgree(states, names, what, tolerance);
        }
    }

    /** What the peer needs besides the views and learning rates: the method, its settings and where it starts. */
    private static Map<String, Object> manifest(TrialConfig trial, Method ours, String mode, Start start) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("method", trial.method());
        manifest.put("precision", mode);
        manifest.put("width", trial.width());
        manifest.put("split_bn", trial.methodParams().mocoSplitBatchNorm());
        manifest.put("momentum", trial.momentum());
        manifest.put("weight_decay", trial.weightDecay());
        manifest.put("trained_blocks", new ArrayList<>(ours.trainedBlocks().keySet()));
        manifest.put("params", params(trial));
        manifest.put("arrays", start.entries());
        manifest.put("queue_pointer", ours.counters().getOrDefault("queue_pointer", 0L));
        return manifest;
    }

    private static Config runPeer(Path dir, Map<String, Object> manifest) throws Exception {
        Files.writeString(dir.resolve("manifest.json"),
                ConfigValueFactory.fromMap(manifest).render(ConfigRenderOptions.concise()));
        PeerPython.run(Path.of("src/test/python/parity.py"), "step", dir.toString());
        return ConfigFactory.parseFile(dir.resolve("out/result.json").toFile());
    }

    private static NDArray input(NDManager m, double[] view, boolean fp32) {
        NDArray x = m.create(view, new Shape(BATCH, 3, 32, 32));
        return fp32 ? x.toType(DataType.FLOAT32, false) : x;
    }

    /** ||ours - theirs|| over ||theirs||, all pairs taken as one vector. */
    private static double relativeL2(List<double[][]> pairs) {
        double diff = 0;
        double norm = 0;
        for (double[][] p : pairs) {
            for (int j = 0; j < p[0].length; j++) {
                diff += (p[0][j] - p[1][j]) * (p[0][j] - p[1][j]);
                norm += p[1][j] * p[1][j];
            }
        }
        return Math.sqrt(diff / norm);
    }

    /** The two views of BATCH CIFAR-10 images (the {@code step}-th BATCH of the split) through the trial's own pipeline, as NCHW. */
    private static double[][] views(TrialConfig trial, int step) {
        CifarSplit split = TestData.cifar().train();
        ViewAugmenter aug = new ViewAugmenter(trial.augmentation());
        float[] hwc = new float[CifarSplit.IMAGE_BYTES];
        double[][] views = new double[2][BATCH * CifarSplit.IMAGE_BYTES];
        for (int v = 0; v < 2; v++) {
            for (int n = 0; n < BATCH; n++) {
                int image = step * BATCH + n;
                aug.augment(split.pixels(), image * CifarSplit.IMAGE_BYTES, new SplittableRandom(31L * image + v), hwc,
                        0);
                for (int c = 0; c < 3; c++) {
                    for (int i = 0; i < CifarSplit.PLANE; i++) {
                        views[v][(n * 3 + c) * CifarSplit.PLANE + i] = hwc[3 * i + c];
                    }
                }
            }
        }
        return views;
    }

    private static Map<String, Object> params(TrialConfig t) {
        var p = t.methodParams();
        return switch (t.method()) {
            case "simclr" -> Map.of("temperature", p.simclrTemperature(), "projection_dim", p.simclrProjectionDim());
            case "moco" -> Map.of("temperature", p.mocoTemperature(), "projection_dim", p.mocoProjectionDim(),
                    "momentum", p.mocoMomentum());
            case "simsiam" -> Map.of("hidden_dim", p.simsiamHiddenDim(), "predictor_dim", p.simsiamPredictorDim());
            default -> Map.of("projection_dim", p.barlowProjectionDim(), "lambda", p.barlowLambda());
        };
    }

    private static Map<String, Object> entry(Path dir, String block, int index, NDArray a, int k) {
        Map<String, Object> e = new LinkedHashMap<>(write(dir, "array" + k, a.toType(DataType.FLOAT64, false)
                .toDoubleArray(), a.getShape().getShape()));
        e.put("block", block);
        e.put("index", index);
        return e;
    }

    private static Map<String, Object> write(Path dir, String name, double[] values, long[] shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        try {
            Files.write(dir.resolve(name + ".bin"), b.array());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<Long> dims = new ArrayList<>();
        for (long d : shape) {
            dims.add(d);
        }
        return new LinkedHashMap<>(Map.of("file", name + ".bin", "shape", dims));
    }

    private static double[] read(Path file) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        double[] v = new double[b.remaining() / Double.BYTES];
        b.asDoubleBuffer().get(v);
        return v;
    }

    private static List<Integer> ints(int[] values) {
        return IntStream.of(values).boxed().toList();
    }

    /** Each pair agrees: ||ours - theirs|| within {@code tolerance} of max(||theirs||, 1e-6 of the largest norm). */
    private static void assertAgree(List<double[][]> pairs, List<String> names, String what, double tolerance) {
        double largest = pairs.stream().mapToDouble(p -> norm(p[1])).max().orElse(0);
        for (int i = 0; i < pairs.size(); i++) {
            double[] ours = pairs.get(i)[0];
            double[] theirs = pairs.get(i)[1];
            assertThat(ours).as("%s %s", what, names.get(i)).hasSameSizeAs(theirs);
            double diff = 0;
            for (int j = 0; j < ours.length; j++) {
                diff += (ours[j] - theirs[j]) * (ours[j] - theirs[j]);
            }
            double scale = Math.max(norm(theirs), 1e-6 * largest);
            assertThat(Math.sqrt(diff) / scale).as("%s %s: ours %s..., theirs %s...", what, names.get(i), ours[0],
                    theirs[0]).isLessThan(tolerance);
        }
    }

    private static double norm(double[] a) {
        double sum = 0;
        for (double v : a) {
            sum += v * v;
        }
        return Math.sqrt(sum);
    }
}
