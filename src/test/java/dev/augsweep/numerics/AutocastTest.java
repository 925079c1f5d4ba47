package dev.augsweep.numerics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.config.Precision;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.config.TrialConfigs;
import dev.augsweep.device.CpuFacts;
import dev.augsweep.method.Method;
import dev.augsweep.method.Methods;
import dev.augsweep.model.MemoryLayout;
import dev.augsweep.testing.Bf16LossBound;
import dev.augsweep.testing.NumericsSuite;
import dev.augsweep.testing.RanHere;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * bf16 through libtorch's autocast: one step against fp32 from the same weights and views. Equal values would mean
 * autocast never switched on; how far bf16 may move them is PyTorchParityTest's question (as far as PyTorch's own
 * autocast moves its step). Here the loss is held to what bf16 rounding of the networks' outputs explains
 * ({@link Bf16LossBound}, an absolute bound: a relative error of SimSiam's near-zero loss is no measure). The
 * gradients' relative L2 error has no such bound: batch norm's backward pass subtracts nearly equal means and
 * magnifies bf16's rounding by a factor that depends on the kernels' summation order (0.34 to 0.39 on one Zen 5 CPU,
 * 0.72 for SimSiam on another of the same model under the same cap). What holds on every CPU is what the step needs:
 * below 1, the bf16 gradient g' descends the fp32 loss (|g' - g| < |g| is the same as g'.g > |g'|^2 / 2 > 0), which a
 * gradient that never flowed (error exactly 1), a flipped sign (2) or a doubled scale (1) fails; and above what
 * fp32 reordering alone could cause (its unit roundoff times the root of the longest reduction), so autocast was on.
 * Each comparison names the CPU and kernels it ran on and prints its figure.
 */
@Tag(NumericsSuite.TAG)
class AutocastTest {
    private static final int BATCH = 32;
    /** fp32's unit roundoff. */
    private static final double FP32_ROUNDOFF = 0x1p-24;
    /** The longest sum in the step: a first convolution's weight gradient, over both views' pixels. */
    private static final int LONGEST_REDUCTION = 2 * BATCH * 32 * 32;

    private static TrialConfig trial(String method, String precision) {
        return TrialConfigs.load(null, List.of("method=" + method, "width=0.125", "batch-size=" + BATCH,
                "moco.queue-size=64", "moco.split-bn=4", "precision=" + precision, "precision-emulation=true",
                "threads=2"));
    }

    /** Loss and every trained parameter's gradient after one step's backward pass. */
    private static List<float[]> step(TrialConfig trial, float[] v0, float[] v1, float[] loss) {
        try (NDManager m = NDManager.newBaseManager()) {
            Method method = Methods.create(trial, MemoryLayout.NCHW, m);
            Map<String, Parameter> trained = Methods.trainedParameters(method);
            Autocast autocast = Autocast.forTrial(trial.precision(), Device.cpu(), true);
            GradientPass pass = new GradientPass(method, new ParameterStore(m, false), autocast, null);
            NDArray x0 = m.create(v0, new Shape(BATCH, 3, 32, 32));
            NDArray x1 = m.create(v1, new Shape(BATCH, 3, 32, 32));
            NDArray l = pass.run(x0, x1);
            assertThat(l.getDataType()).isEqualTo(DataType.FLOAT32); // the loss saw fp32 outputs only
            loss[0] = l.getFloat();
            List<float[]> grads = new ArrayList<>();
            for (Parameter p : trained.values()) {
                assertThat(p.getArray().getDataType()).as(p.getName()).isEqualTo(DataType.FLOAT32);
                assertThat(p.getArray().getGradient().getDataType()).isEqualTo(DataType.FLOAT32);
                grads.add(p.getArray().getGradient().toFloatArray());
            }
            return grads;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"simclr", "moco", "simsiam", "barlowtwins"})
    void aBf16StepIsFp32WithinBf16RoundingWithFp32WeightsAndGradients(String method) {
        SplittableRandom rng = new SplittableRandom(7);
        float[] v0 = new float[BATCH * 3 * 32 * 32];
        float[] v1 = new float[v0.length];
        for (int i = 0; i < v0.length; i++) {
            v0[i] = (float) (rng.nextDouble() * 4 - 2);
            v1[i] = (float) (rng.nextDouble() * 4 - 2);
        }
        float[] fp32Loss = new float[1];
        float[] bf16Loss = new float[1];
        List<float[]> fp32 = step(trial(method, "fp32"), v0, v1, fp32Loss);
        List<float[]> bf16 = step(trial(method, "bf16"), v0, v1, bf16Loss);
        String where = RanHere.describe();
        double bound = Bf16LossBound.of(trial(method, "bf16"), fp32Loss[0]);
        System.out.printf(Locale.ROOT, "bf16 step %s on %s: loss fp32 %.6g, bf16 %.6g (bound %.2g)%n", method, where,
                fp32Loss[0], bf16Loss[0], bound);
        assertThat((double) Math.abs(bf16Loss[0] - fp32Loss[0]))
                .as("loss fp32 %s, bf16 %s on %s", fp32Loss[0], bf16Loss[0], where).isLessThanOrEqualTo(bound);
        double diff = 0;
        double norm = 0;
        for (int p = 0; p < fp32.size(); p++) {
            for (int i = 0; i < fp32.get(p).length; i++) {
                double d = bf16.get(p)[i] - fp32.get(p)[i];
                diff += d * d;
                norm += (double) fp32.get(p)[i] * fp32.get(p)[i];
            }
        }
        double gradError = Math.sqrt(diff / norm);
        System.out.printf(Locale.ROOT, "bf16 gradients %s on %s: relative L2 %.3f%n", method, where, gradError);
        assertThat(gradError).as("relative L2 of all gradients on %s (1: no longer a descent direction of the fp32 "
                + "loss)", where).isLessThan(1).isGreaterThan(FP32_ROUNDOFF * Math.sqrt(LONGEST_REDUCTION));
    }

    @Test
    void fp16IsRefusedOnACpuBeforeTraining() {
        assertThatThrownBy(() -> Autocast.forTrial(Precision.FP16, Device.cpu(), false))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("GPUs only")
                .hasMessageContaining("precision = bf16");
    }

    @Test
    void bf16RunsWhereTheCpuHasItAndIsRefusedWhereItDoesNot() {
        if (Autocast.cpuHasBf16Kernels()) {
            assertThat(Autocast.forTrial(Precision.BF16, Device.cpu(), false).precision()).isEqualTo(Precision.BF16);
        } else {
            assertThatThrownBy(() -> Autocast.forTrial(Precision.BF16, Device.cpu(), false))
                    .isInstanceOf(InvalidConfigException.class).hasMessageContaining("AVX512_BF16 or AMX")
                    .hasMessageContaining(CpuFacts.hasBf16() ? "kernel guard limited it to" : "has neither")
                    .hasMessageContaining("precision-emulation = true");
        }
        assertThat(Autocast.forTrial(Precision.FP32, Device.cpu(), false)).isNull();
    }
}
