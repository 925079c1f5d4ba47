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
 * ({@link Bf16LossBound}, an absolute bound: a relative error of SimSiam's near-zero loss is no measure), and the
 * gradients, whose relative L2 norm is well-conditioned, to within half their norm (batch norm's backward pass
 * magnifies bf16's rounding on random views). Each comparison names the CPU and kernels it ran on.
 */
@Tag(NumericsSuite.TAG)
class AutocastTest {
    private static final int BATCH = 32;

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
        assertThat(gradError).as("relative L2 of all gradients on %s", where).isLessThan(0.6).isGreaterThan(1e-4);
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
