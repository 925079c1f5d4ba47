package dev.augsweep.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.augsweep.augment.ViewBatch;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.config.TrialConfigs;
import dev.augsweep.data.CifarSplit;
import dev.augsweep.method.Method;
import dev.augsweep.method.Methods;
import dev.augsweep.model.MemoryLayout;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The trial's loss is read every few steps, not every step: a non-finite loss at step s still stops the trial by
 * step s + N, and the epoch's mean loss is the same as reading every step would give.
 */
class LossWindowTest {
    private static final int BATCH = 8;
    private static final int N = 4;

    @Test
    void aNonFiniteLossAtStepSStopsTheTrialByStepSPlusN() {
        for (int s : new int[] {1, 5, 6, 8}) {
            int[] stepsRun = {0};
            assertThatThrownBy(() -> train(12, s, stepsRun)).isInstanceOf(TrainingDivergedException.class)
                    .hasMessageContaining("loss became NaN at epoch 1 (lr 0.06)")
                    .hasMessageContaining("between steps " + ((s - 1) / N * N + 1) + " and " + ((s - 1) / N * N + N));
            assertThat(stepsRun[0]).as("steps run with the loss injected at %d", s).isBetween(s, s + N - 1);
        }
    }

    @Test
    void readEveryStepALossThatIsNotFiniteStopsTheTrialAtItsStepBeforeItsUpdate() {
        TrialConfig trial = trial();
        float[][] views = views(3);
        Arrays.fill(views[2], Float.NaN);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Method method = Methods.create(trial, MemoryLayout.NCHW, manager);
            TrainingStep step = step(trial, manager, method);
            try (LossWindow losses = new LossWindow(manager, 1, "epoch 1 (lr 0.06)")) {
                step.run(ViewBatch.floats(views[0], views[1], BATCH), losses);
                assertThatThrownBy(() -> step.run(ViewBatch.floats(views[2], views[3], BATCH), losses))
                        .isInstanceOf(TrainingDivergedException.class)
                        .hasMessageContaining("loss became NaN at epoch 1 (lr 0.06), step 2");
            }
            Methods.trainedParameters(method).values().forEach(p ->
                    assertThat(p.getArray().isInfinite().logicalOr(p.getArray().isNaN()).any().getBoolean())
                            .as(p.getName()).isFalse());
        }
    }

    @Test
    void theMeanLossIsWhatReadingEveryStepGives() {
        TrialConfig trial = trial();
        float[][] views = views(6);
        double windowed;
        double perStep = 0;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            TrainingStep step = step(trial, manager);
            try (LossWindow losses = new LossWindow(manager, N, "epoch 1")) {
                for (int i = 0; i < 6; i++) {
                    step.run(ViewBatch.floats(views[2 * i], views[2 * i + 1], BATCH), losses);
                }
                windowed = losses.mean();
            }
        }
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            TrainingStep step = step(trial, manager);
            for (int i = 0; i < 6; i++) {
                perStep += step.run(views[2 * i], views[2 * i + 1], BATCH);
            }
        }
        assertThat(windowed).isCloseTo(perStep / 6, offset(1e-5));
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            TrainingStep step = step(trial, manager);
            try (LossWindow losses = new LossWindow(manager, 1, "epoch 1")) {
                for (int i = 0; i < 6; i++) {
                    step.run(ViewBatch.floats(views[2 * i], views[2 * i + 1], BATCH), losses);
                }
                assertThat(losses.mean()).as("read every step: the per-step reads exactly").isEqualTo(perStep / 6);
            }
        }
    }

    /** Runs {@code steps} steps with NaN views at step {@code nanAt} (from 1), counting the steps begun. */
    private static void train(int steps, int nanAt, int[] stepsRun) {
        TrialConfig trial = trial();
        float[][] views = views(steps);
        Arrays.fill(views[2 * (nanAt - 1)], Float.NaN);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            TrainingStep step = step(trial, manager);
            try (LossWindow losses = new LossWindow(manager, N, "epoch 1 (lr 0.06)")) {
                for (int i = 0; i < steps; i++) {
                    stepsRun[0] = i + 1;
                    step.run(ViewBatch.floats(views[2 * i], views[2 * i + 1], BATCH), losses);
                }
                losses.mean();
            }
        }
    }

    private static TrialConfig trial() {
        return TrialConfigs.load(null, List.of("width=0.0625", "batch-size=" + BATCH));
    }

    private static TrainingStep step(TrialConfig trial, NDManager manager) {
        return step(trial, manager, Methods.create(trial, MemoryLayout.NCHW, manager));
    }

    private static TrainingStep step(TrialConfig trial, NDManager manager, Method method) {
        Sgd sgd = new Sgd(Methods.trainedParameters(method), trial.momentum(), trial.weightDecay());
        sgd.setLearningRate(trial.lr());
        return new TrainingStep(method, new ParameterStore(manager, false), sgd, manager, BATCH, MemoryLayout.NCHW);
    }

    private static float[][] views(int steps) {
        SplittableRandom rng = new SplittableRandom(3);
        float[][] v = new float[2 * steps][BATCH * CifarSplit.IMAGE_BYTES];
        for (float[] view : v) {
            for (int i = 0; i < view.length; i++) {
                view[i] = (float) rng.nextGaussian();
            }
        }
        return v;
    }
}
