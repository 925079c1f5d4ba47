package dev.augsweep.train;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.augsweep.config.TrialConfig;
import dev.augsweep.config.TrialConfigs;
import dev.augsweep.data.CifarSplit;
import dev.augsweep.method.KeyShuffle;
import dev.augsweep.method.Method;
import dev.augsweep.method.Methods;
import dev.augsweep.model.MemoryLayout;
import dev.augsweep.testing.PeerPython;
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

    @ParameterizedTest
    @ValueSource(strings = {"simclr", "moco", "simsiam", "barlowtwins"})
    void oneStepMatchesThePapersCode(String method, @TempDir Path dir) throws Exception {
        TrialConfig trial = TrialConfigs.load(null, List.of("method=" + method, "width=0.125", "batch-size=" + BATCH,
                "moco.queue-size=64", "simsiam.hidden-dim=64", "simsiam.predictor-dim=16",
                "barlowtwins.projection-dim=64", "seed=3"));
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Method ours = Methods.create(trial, MemoryLayout.NCHW, m, DataType.FLOAT64);
            double[][] views = views(trial);
            NDArray x0 = m.create(views[0], new Shape(BATCH, 3, 32, 32));
            NDArray x1 = m.create(views[1], new Shape(BATCH, 3, 32, 32));
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
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("method", method);
            manifest.put("width", trial.width());
            manifest.put("split_bn", trial.methodParams().mocoSplitBatchNorm());
            manifest.put("lr", trial.lr());
            manifest.put("momentum", trial.momentum());
            manifest.put("weight_decay", trial.weightDecay());
            manifest.put("trained_blocks", new ArrayList<>(ours.trainedBlocks().keySet()));
            manifest.put("params", params(trial));
            manifest.put("views", List.of(write(dir, "view0", views[0], new long[] {BATCH, 3, 32, 32}),
                    write(dir, "view1", views[1], new long[] {BATCH, 3, 32, 32})));
            manifest.put("arrays", entries);
            manifest.put("queue_pointer", ours.counters().getOrDefault("queue_pointer", 0L));
            KeyShuffle shuffle = new KeyShuffle(trial.seed(), MemoryLayout.NCHW); // what MoCo's first step draws
            manifest.put("shuffles", List.of(ints(shuffle.order(BATCH, 0)), ints(shuffle.order(BATCH, 1))));
            Files.writeString(dir.resolve("manifest.json"),
                    ConfigValueFactory.fromMap(manifest).render(ConfigRenderOptions.concise()));
            PeerPython.run(Path.of("src/test/python/parity.py"), "step", dir.toString());
            Config theirs = ConfigFactory.parseFile(dir.resolve("out/result.json").toFile());

            Map<String, Parameter> trained = TrialTrainer.trainedParameters(ours);
            Sgd sgd = new Sgd(trained, trial.momentum(), trial.weightDecay());
            sgd.setLearningRate(trial.lr());
            TrainingStep step = new TrainingStep(ours, new ParameterStore(m, false), sgd, m, BATCH, MemoryLayout.NCHW);
            double loss = step.lossAndGradients(x0, x1).getDouble();
            assertThat(Math.abs(loss - theirs.getDouble("loss")) / Math.abs(loss)).as("loss %s vs %s", loss,
                    theirs.getDouble("loss")).isLessThan(1e-9);
            List<String> gradFiles = theirs.getStringList("grads");
            List<double[][]> grads = new ArrayList<>();
            for (Parameter p : trained.values()) {
                grads.add(new double[][] {p.getArray().getGradient().toDoubleArray(),
                        read(dir.resolve(gradFiles.get(grads.size())))});
            }
            List<String> names = new ArrayList<>(trained.keySet());
            // Gradients that are zero in exact arithmetic (a linear bias before batch norm) are rounding noise on
            // both sides: each is measured against the scale of all of them. fp32 hyperparameters (batch norm's
            // momentum 0.9f, SGD's 0.06f) leave differences of ~2e-7.
            assertAgree(grads, names, "gradient of", 1e-6);
            sgd.step();
            List<String> after = theirs.getStringList("arrays");
            List<double[][]> states = new ArrayList<>();
            List<String> stateNames = new ArrayList<>();
            for (int i = 0; i < arrays.size(); i++) {
                states.add(new double[][] {arrays.get(i).toDoubleArray(), read(dir.resolve(after.get(i)))});
                stateNames.add(entries.get(i).get("block") + "[" + entries.get(i).get("index") + "]");
            }
            assertAgree(states, stateNames, "after the step:", 1e-6);
            if (method.equals("moco")) {
                assertThat(ours.counters().get("queue_pointer")).isEqualTo(theirs.getLong("queue_pointer"));
            }
        }
    }

    /** The two views of BATCH CIFAR-10 images through the trial's own pipeline, as NCHW. */
    private static double[][] views(TrialConfig trial) {
        CifarSplit split = TestData.cifar().train();
        ViewAugmenter aug = new ViewAugmenter(trial.augmentation());
        float[] hwc = new float[CifarSplit.IMAGE_BYTES];
        double[][] views = new double[2][BATCH * CifarSplit.IMAGE_BYTES];
        for (int v = 0; v < 2; v++) {
            for (int n = 0; n < BATCH; n++) {
                aug.augment(split.pixels(), n * CifarSplit.IMAGE_BYTES, new SplittableRandom(31L * n + v), hwc, 0);
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
