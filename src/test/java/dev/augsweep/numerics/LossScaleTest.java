package dev.augsweep.numerics;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.config.TrialConfigs;
import dev.augsweep.method.Method;
import dev.augsweep.method.Methods;
import dev.augsweep.model.MemoryLayout;
import dev.augsweep.testing.NumericsSuite;
import dev.augsweep.train.Sgd;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * fp16's dynamic loss scaling, checked in fp32 on the CPU (fp16 itself trains on GPUs only): scaling by a power of
 * two and back is exact, so the gradients must equal the unscaled ones bit for bit; an overflow skips the step.
 */
@Tag(NumericsSuite.TAG)
class LossScaleTest {
    private static final int BATCH = 16;
    private static final TrialConfig TRIAL = TrialConfigs.load(null, List.of("method=simclr", "width=0.125",
            "batch-size=" + BATCH, "threads=2"));

    private static float[] views(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[BATCH * 3 * 32 * 32];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return v;
    }

    private static NDArray batch(NDManager m, long seed) {
        return m.create(views(seed), new Shape(BATCH, 3, 32, 32));
    }

    /** Every trained weight after one step, and the gradients before it, with {@code scale} (null: none). */
    private static List<float[]> step(LossScale scale, List<float[]> gradients) {
        try (NDManager m = NDManager.newBaseManager()) {
            Method method = Methods.create(TRIAL, MemoryLayout.NCHW, m);
            Sgd sgd = new Sgd(Methods.trainedParameters(method), TRIAL.momentum(), TRIAL.weightDecay());
            sgd.setLearningRate(TRIAL.lr());
            GradientPass pass = new GradientPass(method, new ParameterStore(m, false), null, scale);
            try (NDManager s = m.newSubManager()) {
                pass.run(batch(s, 1), batch(s, 2));
            }
            if (scale != null) {
                scale.unscale(sgd.parameters());
            }
            List<float[]> weights = new ArrayList<>();
            for (Parameter p : sgd.parameters()) {
                gradients.add(p.getArray().getGradient().toFloatArray());
            }
            sgd.step();
            for (Parameter p : sgd.parameters()) {
                weights.add(p.getArray().toFloatArray());
            }
            return weights;
        }
    }

    @Test
    void scalingByAPowerOfTwoAndBackLeavesTheGradientsExactlyAsTheyWere() {
        List<float[]> plainGradients = new ArrayList<>();
        List<float[]> scaledGradients = new ArrayList<>();
        List<float[]> plain = step(null, plainGradients);
        LossScale scale = new LossScale();
        List<float[]> scaled = step(scale, scaledGradients);
        for (int i = 0; i < plain.size(); i++) {
            assertThat(scaledGradients.get(i)).containsExactly(plainGradients.get(i));
            assertThat(scaled.get(i)).containsExactly(plain.get(i));
        }
        assertThat(scale.scale()).isEqualTo(LossScale.INITIAL); // one good step: no growth yet
    }

    @Test
    void anOverflowedGradientZeroesTheGradientsHalvesTheScaleAndSaysSkip() {
        LossScale scale = new LossScale();
        try (NDManager m = NDManager.newBaseManager()) {
            Method method = Methods.create(TRIAL, MemoryLayout.NCHW, m);
            Sgd sgd = new Sgd(Methods.trainedParameters(method), TRIAL.momentum(), TRIAL.weightDecay());
            GradientPass pass = new GradientPass(method, new ParameterStore(m, false), null, scale);
            try (NDManager s = m.newSubManager()) {
                pass.run(batch(s, 1), batch(s, 2));
            }
            // What fp16 does to a large gradient times the scale: one element overflows.
            sgd.parameters().iterator().next().getArray().getGradient()
                    .set(new ai.djl.ndarray.index.NDIndex(0), Float.POSITIVE_INFINITY);
            assertThat(scale.unscale(sgd.parameters())).isFalse();
            for (Parameter p : sgd.parameters()) {
                assertThat(p.getArray().getGradient().toFloatArray()).as(p.getName()).containsOnly(0f);
            }
        }
        assertThat(scale.scale()).isEqualTo(LossScale.INITIAL / 2);
    }
}
