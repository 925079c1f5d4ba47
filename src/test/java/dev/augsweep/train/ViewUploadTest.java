package dev.augsweep.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.augsweep.augment.AppliedOps;
import dev.augsweep.augment.TwoViewBatches;
import dev.augsweep.augment.ViewAugmenter;
import dev.augsweep.augment.ViewBatch;
import dev.augsweep.augment.ViewBatchPool;
import dev.augsweep.config.AugmentationSpec;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.config.TrialConfigs;
import dev.augsweep.data.CifarSplit;
import dev.augsweep.method.Method;
import dev.augsweep.method.Methods;
import dev.augsweep.model.MemoryLayout;
import dev.augsweep.numerics.ViewUpload;
import dev.augsweep.testing.TestData;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Views uploaded as 8-bit and normalised on the device, against fp32 views made on the host from the same bytes. */
class ViewUploadTest {
    private static final int BATCH = 16;
    private static final int IMG = CifarSplit.IMAGE_BYTES;
    private final CifarSplit images = TestData.cifar().train().limit(64);

    @Test
    void autoQuantisesOnAGpuOnlyAndTheSettingIsChecked() {
        assertThat(ViewUpload.quantised("auto", true)).isTrue();
        assertThat(ViewUpload.quantised("auto", false)).isFalse();
        assertThat(ViewUpload.quantised("uint8", false)).isTrue();
        assertThat(ViewUpload.quantised("fp32", true)).isFalse();
        assertThat(TrialConfigs.load(null, List.of()).runtime().viewUpload()).isEqualTo("auto");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrialConfigs.load(null, List.of("view-upload=int8")))
                .hasMessageContaining("view-upload = 'int8' is unknown");
    }

    @Test
    void aQuantisedViewIsTheSameViewWithinHalfALevel() {
        AugmentationSpec spec = trial().augmentation();
        ViewAugmenter aug = new ViewAugmenter(spec);
        float[] view = new float[IMG];
        byte[] bytes = new byte[IMG];
        for (int i = 0; i < 64; i++) {
            AppliedOps a = aug.augment(images.pixels(), i * IMG, new SplittableRandom(i), view, 0);
            AppliedOps b = aug.augment(images.pixels(), i * IMG, new SplittableRandom(i), bytes, 0);
            assertThat(b).as("the same sampled parameters").usingRecursiveComparison().isEqualTo(a);
            for (int k = 0; k < IMG; k++) {
                int c = k % 3;
                double x = view[k] * spec.std()[c] + spec.mean()[c];
                assertThat((bytes[k] & 0xff) / 255.0).isCloseTo(Math.min(1, Math.max(0, x)), offset(0.5 / 255 + 1e-5));
            }
        }
    }

    @Test
    void theUint8UploadTrainsAsTheFloatPathOnTheSameBytes() {
        TrialConfig trial = trial();
        AugmentationSpec spec = trial.augmentation();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (NDManager bytesSide = NDManager.newBaseManager(Device.cpu());
             NDManager floatSide = NDManager.newBaseManager(Device.cpu())) {
            TrainingStep quantised = step(trial, bytesSide);
            TrainingStep host = step(trial, floatSide);
            TwoViewBatches batches = new TwoViewBatches(images, spec, 0, 0, new ViewBatchPool(BATCH, spec), pool, 1);
            int steps = 0;
            while (batches.hasNext()) {
                ViewBatch b = batches.next();
                assertThat(b.quantised()).isTrue();
                float expected = host.run(normalised(b.bytes0(), spec), normalised(b.bytes1(), spec), BATCH);
                try (LossWindow window = new LossWindow(bytesSide, 1, "epoch 1")) {
                    quantised.run(b, window);
                    assertThat(window.mean()).as("step %d", steps + 1).isCloseTo(expected, offset(1e-6));
                }
                steps++;
            }
            assertThat(steps).isEqualTo(4);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTrialTrainsOnUint8ViewsAndSaysSo() {
        TrialResult r = new TrialTrainer(new ConsoleProgress(new java.io.PrintStream(
                java.io.OutputStream.nullOutputStream()), "")).train(TrialTrainerTest.tiny("epochs=1",
                "view-upload=uint8"), TestData.cifar(), null);
        assertThat(r.numerics().viewUpload()).isEqualTo("uint8");
        assertThat(r.toJson()).contains("\"view_upload\"");
        assertThat(r.epochs().get(0).loss()).isFinite();
    }

    /** The host's normalisation of 8-bit HWC views (Image.load's scale, then ViewAugmenter's). */
    private static float[] normalised(byte[] bytes, AugmentationSpec spec) {
        float[] out = new float[bytes.length];
        for (int k = 0; k < bytes.length; k++) {
            int c = k % 3;
            out[k] = ((bytes[k] & 0xff) * (1f / 255f) - spec.mean()[c]) * (1f / spec.std()[c]);
        }
        return out;
    }

    private static TrialConfig trial() {
        return TrialConfigs.load(null, List.of("width=0.0625", "batch-size=" + BATCH, "augs=abcde"));
    }

    private static TrainingStep step(TrialConfig trial, NDManager manager) {
        Method method = Methods.create(trial, MemoryLayout.NCHW, manager);
        Sgd sgd = new Sgd(Methods.trainedParameters(method), trial.momentum(), trial.weightDecay());
        sgd.setLearningRate(trial.lr());
        return new TrainingStep(method, new ParameterStore(manager, false), sgd, manager, BATCH, MemoryLayout.NCHW);
    }
}
