package dev.augsweep.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.config.TrialConfigs;
import dev.augsweep.data.CifarData;
import dev.augsweep.data.CifarSource;
import dev.augsweep.data.Dataset;
import dev.augsweep.data.DownloadPolicy;
import dev.augsweep.eval.UntrainedControl;
import dev.augsweep.method.Methods;
import dev.augsweep.model.MemoryLayout;
import dev.augsweep.storage.StorePath;
import dev.augsweep.testing.CifarArchives;
import dev.augsweep.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrialTrainerTest {
    /** CPU scale: 4 steps of 64 images per epoch at width 1/8. */
    static TrialConfig tiny(String... extra) {
        List<String> o = new ArrayList<>(List.of("width=0.125", "train-limit=256", "test-limit=100",
                "batch-size=64", "epochs=3", "moco.queue-size=256", "simsiam.hidden-dim=128",
                "simsiam.predictor-dim=32", "barlowtwins.projection-dim=128", "threads=2"));
        o.addAll(List.of(extra));
        return TrialConfigs.load(null, o);
    }

    private static final ProgressListener QUIET = new ConsoleProgress(new PrintStream(new ByteArrayOutputStream()), "");

    @ParameterizedTest
    @ValueSource(strings = {"simclr", "moco", "simsiam", "barlowtwins"})
    void everyMethodTrainsAndReports(String method, @TempDir Path out) throws Exception {
        TrialResult r = new TrialTrainer(QUIET).train(tiny("method=" + method, "epochs=2"), TestData.cifar(),
                StorePath.local(out));
        assertThat(r.epochs()).hasSize(2);
        assertThat(r.epochs()).allSatisfy(e -> assertThat(e.loss()).isFinite());
        assertThat(r.knnTop1Best()).isBetween(0.0, 1.0);
        String json = Files.readString(out.resolve(TrialTrainer.RESULT_FILE));
        for (String field : List.of("method", "augs", "strength", "seed", "epochs", "width", "train_limit",
                "test_limit", "knn_top1_best", "best_epoch", "knn_top1_final", "loss_first_epoch",
                "loss_final_epoch", "seconds", "images_per_second", "device", "view_upload", "per_epoch")) {
            assertThat(json).contains("\"" + field + "\"");
        }
        assertThat(json).contains("\"" + method + "\"");
    }

    @Test
    void theUntrainedControlScoresEachSeedsInitialNetworkOnceWhateverTheMethod(@TempDir Path dir) throws Exception {
        TrialConfig simclr = tiny("method=simclr", "augs=abcde");
        TrialConfig barlow = tiny("method=barlowtwins", "augs=a");
        Path cache = dir.resolve("controls");
        double control = TrialTrainer.untrainedControl(simclr, TestData.cifar(),
                new UntrainedControl(StorePath.local(cache)));
        assertThat(control).isBetween(0.05, 0.9);
        // Computed again without the cache for another method and augmentation: the same network, the same number.
        assertThat(TrialTrainer.untrainedControl(barlow, TestData.cifar(), new UntrainedControl(null)))
                .isEqualTo(control);
        // Another seed is another network, cached apart.
        TrialTrainer.untrainedControl(tiny("seed=1"), TestData.cifar(), new UntrainedControl(StorePath.local(cache)));
        try (var files = Files.list(cache)) {
            assertThat(files.map(f -> f.getFileName().toString())).hasSize(2).allMatch(n -> n.endsWith(".json"));
        }
        // The trial records the control it starts from, in result.json, with an epoch-0 row.
        Path out = dir.resolve("out");
        TrialResult r = new TrialTrainer(QUIET, new UntrainedControl(StorePath.local(cache))).train(barlow, TestData.cifar(),
                StorePath.local(out));
        assertThat(r.knnTop1Init()).isEqualTo(control);
        assertThat(r.row()).containsEntry("knn_top1_init", 100 * control);
        assertThat(r.epochRows().get(0)).containsEntry("epoch", 0).containsEntry("knn_top1", 100 * control);
        assertThat(r.epochRows()).hasSize(r.epochs().size() + 1);
        assertThat(Files.readString(out.resolve(TrialTrainer.RESULT_FILE))).contains("\"knn_top1_init\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"simclr", "moco"})
    void theControlsNetworkIsTheOneTrainingStartsFrom(String method) {
        TrialConfig trial = tiny("method=" + method);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block started = Methods.create(trial, MemoryLayout.NCHW, manager).backbone();
            Block control = Methods.initialBackbone(trial, MemoryLayout.NCHW, manager);
            var a = started.getParameters();
            var b = control.getParameters();
            assertThat(a.size()).isEqualTo(b.size());
            for (int i = 0; i < a.size(); i++) {
                assertThat(a.get(i).getValue().getArray().toFloatArray())
                        .as(a.get(i).getKey()).containsExactly(b.get(i).getValue().getArray().toFloatArray());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"simclr", "moco", "simsiam", "barlowtwins"})
    void resumingAfterAnInterruptionGivesTheUninterruptedResult(String method, @TempDir Path dir) {
        TrialConfig trial = tiny("method=" + method);
        TrialResult straight = new TrialTrainer(QUIET).train(trial, TestData.cifar(),
                StorePath.local(dir.resolve("straight")));

        StorePath interrupted = StorePath.local(dir.resolve("interrupted"));
        ProgressListener crashAfterFirstEpoch = (m, epochs, best, eta) -> {
            throw new IllegalStateException("simulated crash after epoch " + m.epoch());
        };
        assertThatThrownBy(() -> new TrialTrainer(crashAfterFirstEpoch).train(trial, TestData.cifar(), interrupted))
                .hasMessageContaining("simulated crash after epoch 1");
        assertThat(Files.exists(interrupted.toLocalPath().resolve(TrialTrainer.RESULT_FILE))).isFalse();

        TrialResult resumed = new TrialTrainer(QUIET).train(trial, TestData.cifar(), interrupted);
        assertThat(resumed.epochs()).hasSize(3);
        assertThat(resumed.epochs().get(1).resumed()).isTrue();
        for (int e = 0; e < 3; e++) {
            assertThat(resumed.epochs().get(e).loss()).isEqualTo(straight.epochs().get(e).loss());
            assertThat(resumed.epochs().get(e).knnTop1()).isEqualTo(straight.epochs().get(e).knnTop1());
        }
    }

    @Test
    void aTrialPausedAtARungAndContinuedLaterEqualsAnUninterruptedOne(@TempDir Path dir) {
        TrialConfig trial = tiny("method=moco");
        TrialResult straight = new TrialTrainer(QUIET).train(trial, TestData.cifar(),
                StorePath.local(dir.resolve("straight")));
        StorePath halving = StorePath.local(dir.resolve("halving"));
        TrialResult paused = new TrialTrainer(QUIET).train(trial, TestData.cifar(), halving, 1);
        assertThat(paused.complete()).isFalse();
        assertThat(paused.epochs()).hasSize(1);
        assertThat(Files.exists(dir.resolve("halving").resolve(TrialTrainer.RESULT_FILE))).isFalse();
        // Promoted: the same trial goes on from its checkpoint with the same cosine schedule over all its epochs.
        TrialResult promoted = new TrialTrainer(QUIET).train(trial, TestData.cifar(), halving);
        assertThat(promoted.complete()).isTrue();
        for (int e = 0; e < 3; e++) {
            assertThat(promoted.epochs().get(e).loss()).isEqualTo(straight.epochs().get(e).loss());
            assertThat(promoted.epochs().get(e).knnTop1()).isEqualTo(straight.epochs().get(e).knnTop1());
            assertThat(promoted.epochs().get(e).lr()).isEqualTo(straight.epochs().get(e).lr());
        }
    }

    @Test
    void twoTrialsTrainAtOnceInOneJvmWithoutColliding() throws Exception {
        // A Spark executor may run several tasks at once; each trains on its own (non-engine-init) thread.
        TrialConfig moco = tiny("method=moco", "epochs=1");
        TrialConfig simclr = tiny("method=simclr", "epochs=1");
        TrialResult mocoAlone = new TrialTrainer(QUIET).train(moco, TestData.cifar(), null);
        TrialResult simclrAlone = new TrialTrainer(QUIET).train(simclr, TestData.cifar(), null);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var a = pool.submit(() -> new TrialTrainer(QUIET).train(moco, TestData.cifar(), null));
            var b = pool.submit(() -> new TrialTrainer(QUIET).train(simclr, TestData.cifar(), null));
            assertThat(a.get().epochs().get(0).loss()).isEqualTo(mocoAlone.epochs().get(0).loss());
            assertThat(b.get().epochs().get(0).loss()).isEqualTo(simclrAlone.epochs().get(0).loss());
            assertThat(a.get().knnTop1Best()).isEqualTo(mocoAlone.knnTop1Best());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void trainsOnCifar100AndVotesOverItsHundredFineLabels(@TempDir Path dir) throws Exception {
        // An archive in the official layout: 10 training and 2 test images of each of the 100 classes, each class
        // tinted its own way, so that even a barely trained network's features separate many of them.
        Path archive = CifarArchives.write(dir.resolve("cifar-100-binary.tar.gz"), Dataset.CIFAR100, 10, 2, 3);
        TrialConfig trial = tiny("dataset=cifar100", "data=" + archive, "train-limit=all", "test-limit=all",
                "epochs=2", "batch-size=100");
        CifarData data = CifarSource.load(trial.runtime().data(), trial.dataset(), DownloadPolicy.NEVER);
        TrialResult r = new TrialTrainer(QUIET).train(trial, data, StorePath.local(dir.resolve("out")));
        assertThat(r.trainImages()).isEqualTo(1000);
        assertThat(r.epochs()).allSatisfy(e -> assertThat(e.loss()).isFinite());
        assertThat(r.knnTop1Best()).as("well above 100-class chance").isGreaterThan(0.05);
        assertThat(r.row()).containsEntry("dataset", "cifar100");
        assertThat(Files.readString(dir.resolve("out").resolve(TrialTrainer.RESULT_FILE))).contains("\"cifar100\"");
    }

    @Test
    void aCorruptCheckpointStartsTheTrialOverAndSaysSo(@TempDir Path out) throws Exception {
        Files.createDirectories(out);
        Files.writeString(out.resolve(Checkpoint.FILE), "not a checkpoint");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrialResult r = new TrialTrainer(new ConsoleProgress(new PrintStream(log), ""))
                .train(tiny("epochs=1"), TestData.cifar(), StorePath.local(out));
        assertThat(r.epochs()).hasSize(1);
        assertThat(log.toString()).contains("cannot be used").contains("starting this trial over");
    }

    @Test
    void evalEveryThinsEvaluationButAlwaysEvaluatesTheLastEpoch(@TempDir Path out) {
        TrialResult r = new TrialTrainer(QUIET).train(tiny("eval-every=2"), TestData.cifar(), null);
        assertThat(r.epochs().get(0).knnTop1()).isNull();
        assertThat(r.epochs().get(1).knnTop1()).isNotNull();
        assertThat(r.epochs().get(2).knnTop1()).isNotNull();
    }

    @Test
    void aDivergingRunFailsWithAClearMessage() {
        assertThatThrownBy(() -> new TrialTrainer(QUIET).train(tiny("lr=1e30", "epochs=2"), TestData.cifar(), null))
                .isInstanceOf(TrainingDivergedException.class).hasMessageContaining("lower lr");
    }

    @Test
    void aDivergingRunStopsWithinItsLossReadInterval() {
        // Read every step (a CPU's default), the message names the step whose loss was not finite...
        String exact = catchThrowableOfType(TrainingDivergedException.class, () -> new TrialTrainer(QUIET)
                .train(tiny("lr=1e30", "epochs=2", "train-limit=512"), TestData.cifar(), null)).getMessage();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("epoch 1 \\(lr [^)]*\\), step (\\d+);").matcher(exact);
        assertThat(m.find()).as(exact).isTrue();
        int s = Integer.parseInt(m.group(1));
        // ...read every 4 (as a GPU reads every 16), the trial stops at the read after it, by step s + 3.
        assertThatThrownBy(() -> new TrialTrainer(QUIET).train(tiny("lr=1e30", "epochs=2", "train-limit=512",
                "loss-read-every=4"), TestData.cifar(), null))
                .isInstanceOf(TrainingDivergedException.class).hasMessageContaining("lower lr")
                .hasMessageContaining("between steps " + ((s - 1) / 4 * 4 + 1) + " and " + ((s - 1) / 4 * 4 + 4));
    }

    @Test
    void cosineScheduleMatchesPytorch() {
        assertThat(CosineSchedule.lr(0.06, 0, 800)).isEqualTo(0.06);
        assertThat(CosineSchedule.lr(0.06, 400, 800)).isCloseTo(0.03, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(CosineSchedule.lr(0.06, 799, 800)).isCloseTo(0.06 * 0.5 * (1 + Math.cos(Math.PI * 799 / 800)),
                org.assertj.core.data.Offset.offset(1e-15));
    }
}
