package dev.augsweep.numerics;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.augsweep.augment.Seeds;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.data.CifarSplit;
import dev.augsweep.method.LossSensitivity;
import dev.augsweep.method.Method;
import dev.augsweep.method.Methods;
import dev.augsweep.model.ImageInput;
import dev.augsweep.model.MemoryLayout;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Guards libtorch by what it computes: one training step's loss and weight gradients with the networks in a
 * faster memory layout, against the same step (same initial weights, same views) in plain NCHW. A kernel that
 * miscomputes a layout on this CPU (oneDNN picks kernels by ISA, cache sizes and shapes) shows as a disagreement
 * far above fp32 rounding, where a crash would not show at all on a machine that happens not to crash.
 */
public final class LayoutCheck {
    /**
     * Largest relative L2 difference of a weight's gradient that counts as agreement. Convolutions give the same
     * bits in both layouts here (oneDNN computes both in its blocked layout); batch norm's channels-last kernels sum
     * in another order, and its backward pass, which subtracts nearly equal means, magnifies that to 4e-3 to 1e-2
     * in the weight gradients at initialisation (measured with `augsweep check` on widths 1/8 to 1, batch 64). A
     * miscomputed kernel is off by order 1 (every element of its gradients wrong, in the upstream report).
     */
    public static final double TOLERANCE = 0.1;
    /** The loss's entry among the gradients {@link #gradients} returns. */
    static final String LOSS = "loss";
    private static final Map<String, Agreement> CHECKED = new ConcurrentHashMap<>();

    private LayoutCheck() {
    }

    /**
     * @param worstError     the largest relative L2 difference over the trained parameters' gradients and the loss
     * @param worstParameter where it occurred
     */
    public record Agreement(MemoryLayout layout, double worstError, String worstParameter) {
        public boolean agrees() {
            return worstError <= TOLERANCE;
        }
    }

    /** {@link #compare}, once per JVM for each network shape (method, width, batch, heads). */
    public static Agreement cached(TrialConfig trial, MemoryLayout layout, Device device) {
        return CHECKED.computeIfAbsent(key(trial, layout, device), k -> compare(trial, layout, device));
    }

    /** What a comparison depends on: the network's shape (method, width, batch, heads), the layout, the device. */
    static String key(TrialConfig trial, MemoryLayout layout, Device device) {
        return trial.method() + "|" + trial.width() + "|" + trial.batchSize() + "|" + trial.stemRelu() + "|"
                + trial.methodParams() + "|" + layout + "|" + device;
    }

    /** One step of the trial's method at its batch size, on random views, in {@code layout} and in NCHW. */
    public static Agreement compare(TrialConfig trial, MemoryLayout layout, Device device) {
        float[][] v = views(trial);
        Map<String, float[]> reference = gradients(trial, MemoryLayout.NCHW, device, v[0], v[1]);
        return agreement(layout, reference, gradients(trial, layout, device, v[0], v[1]),
                lossScale(trial, reference));
    }

    /** The same step twice in NCHW: how far the device's own run-to-run noise goes (cuDNN's algorithm choices). */
    public static Agreement repeat(TrialConfig trial, Device device) {
        float[][] v = views(trial);
        Map<String, float[]> first = gradients(trial, MemoryLayout.NCHW, device, v[0], v[1]);
        return agreement(MemoryLayout.NCHW, first, gradients(trial, MemoryLayout.NCHW, device, v[0], v[1]),
                lossScale(trial, first));
    }

    /** Random views for one step of {@code trial}: two batches of standard normal pixels, fixed by its seed. */
    static float[][] views(TrialConfig trial) {
        SplittableRandom rng = new SplittableRandom(Seeds.mix(trial.seed(), 0x6c61));
        int n = trial.batchSize() * CifarSplit.IMAGE_BYTES;
        return new float[][] {gaussian(rng, n), gaussian(rng, n)};
    }

    /**
     * What the reference's loss is computed from ({@link LossSensitivity}): a loss near zero (SimSiam's at
     * initialisation) is judged against the size of its terms, not against itself.
     */
    static double lossScale(TrialConfig trial, Map<String, float[]> reference) {
        return LossSensitivity.of(trial.method(), trial.methodParams(), reference.get(LOSS)[0]);
    }

    /**
     * How far {@code candidate}'s loss and gradients are from {@code reference}'s (see {@link #gradients}), each
     * relative to its own size; the loss's at least {@code lossScale}.
     */
    static Agreement agreement(MemoryLayout layout, Map<String, float[]> reference, Map<String, float[]> candidate,
                               double lossScale) {
        // A gradient that is rounding noise in the reference is measured against the scale of the others.
        double floor = 1e-3 * reference.entrySet().stream().filter(e -> !e.getKey().equals(LOSS))
                .mapToDouble(e -> norm(e.getValue())).max().orElse(0);
        double worst = 0;
        String where = "";
        for (Map.Entry<String, float[]> e : reference.entrySet()) {
            double scale = e.getKey().equals(LOSS) ? Math.max(norm(e.getValue()), lossScale) : norm(e.getValue());
            double error = difference(candidate.get(e.getKey()), e.getValue()) / Math.max(scale,
                    Math.max(floor, Double.MIN_NORMAL));
            if (!(error <= worst)) { // NaN counts as the worst
                worst = Double.isNaN(error) ? Double.POSITIVE_INFINITY : error;
                where = e.getKey();
            }
        }
        return new Agreement(layout, worst, where);
    }

    /**
     * The loss (as "loss") and the gradient of every trained convolution and linear weight after one step from the
     * trial's initial weights. Batch-norm scales and shifts are left out: their gradients are sums over the whole
     * batch that nearly cancel at initialisation, pure rounding noise, and a wrong batch-norm kernel shows in the
     * weight gradients it passes back anyway.
     */
    static Map<String, float[]> gradients(TrialConfig trial, MemoryLayout layout, Device device, float[] view0,
                                          float[] view1) {
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Method method = Methods.create(trial, layout, manager);
            Map<String, Parameter> trained = Methods.trainedParameters(method);
            GradientPass pass = new GradientPass(method, new ParameterStore(manager, false));
            Map<String, float[]> result = new LinkedHashMap<>();
            try (NDManager scope = manager.newSubManager()) {
                NDArray x0 = new ImageInput(trial.batchSize(), CifarSplit.SIDE, layout).images(scope, view0,
                        trial.batchSize());
                NDArray x1 = new ImageInput(trial.batchSize(), CifarSplit.SIDE, layout).images(scope, view1,
                        trial.batchSize());
                result.put(LOSS, new float[] {pass.run(x0, x1).getFloat()});
                trained.forEach((name, p) -> {
                    if (p.getType() == Parameter.Type.WEIGHT) {
                        try (NDArray g = p.getArray().getGradient()) {
                            result.put(name, g.toFloatArray());
                        }
                    }
                });
            }
            return result;
        }
    }

    static double difference(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < b.length; i++) {
            double d = (double) a[i] - b[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    static double norm(float[] a) {
        double sum = 0;
        for (float v : a) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum);
    }

    private static float[] gaussian(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }
}
