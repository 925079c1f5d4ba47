package dev.augsweep.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augsweep.data.Dataset;
import dev.augsweep.data.DownloadPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrialConfigsTest {
    @Test
    void defaultsAreThePaperProtocol() {
        TrialConfig t = TrialConfigs.load(null, List.of());
        assertThat(t.method()).isEqualTo("simclr");
        assertThat(t.augs()).isEqualTo("abcde");
        assertThat(t.epochs()).isEqualTo(800);
        assertThat(t.batchSize()).isEqualTo(512);
        assertThat(t.lr()).isEqualTo(0.06);
        assertThat(t.momentum()).isEqualTo(0.9);
        assertThat(t.weightDecay()).isEqualTo(5e-4);
        assertThat(t.knnK()).isEqualTo(200);
        assertThat(t.knnTemperature()).isEqualTo(0.1);
        assertThat(t.trainLimit()).isEqualTo(TrialConfig.ALL);
        assertThat(t.augmentation().cropMinScale()).isEqualTo(0.08);
        assertThat(t.augmentation().jitterP()).isEqualTo(0.8);
        assertThat(t.stemRelu()).isFalse();
        assertThat(t.methodParams().mocoSplitBatchNorm()).isEqualTo(8);
        assertThat(t.methodParams().mocoQueueSize()).isEqualTo(4096);
        assertThat(t.methodParams().mocoBatchShuffle()).isTrue(); // lightly's MoCo(batch_shuffle=True)
        assertThat(t.dataset()).isEqualTo(Dataset.CIFAR10);
        assertThat(t.runtime().layout()).isEqualTo("auto");
    }

    /** getInt truncated: epochs=1.5 trained one epoch. A fraction and an out-of-range number each say what they are. */
    @Test
    void aWholeNumberSettingRefusesAFractionAndATooLargeNumber(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> TrialConfigs.load(null, List.of("epochs=1.5", "batch-size=99999999999",
                "knn.k=2.0e1", "seed=-0.5")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("epochs = 1.5 is not a whole number; e.g. epochs = 2")
                .hasMessageContaining("batch-size = 99999999999 is too large (at most 2147483647)")
                .hasMessageContaining("seed = -0.5 is not a whole number")
                .hasMessageNotContaining("knn.k"); // 2.0e1 is 20
        Path file = dir.resolve("trial.conf");
        Files.writeString(file, "epochs = 2.5\n");
        assertThatThrownBy(() -> TrialConfigs.load(file, List.of())).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("epochs = 2.5 is not a whole number");
        assertThat(TrialConfigs.load(null, List.of("epochs=3.0")).epochs()).isEqualTo(3);
        assertThat(TrialConfigs.load(null, List.of("knn.k=2.0e1")).knnK()).isEqualTo(20);
    }

    /** The set a search is checked against is the set of settings read as whole numbers. */
    @Test
    void everyWholeNumberSettingIsReadAsOne() {
        for (String key : TrialConfigs.WHOLE_NUMBERS) {
            assertThatThrownBy(() -> TrialConfigs.load(null, List.of(key + "=2.5"))).as(key)
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessageContaining(key + " = 2.5 is not a whole number");
        }
        assertThat(TrialConfigs.load(null, List.of("lr=2.5", "width=2.5", "strength=0.5")).width()).isEqualTo(2.5);
    }

    @Test
    void cifar100IsItsOwnDatasetWithItsOwnDataPathAndIds() {
        TrialConfig c10 = TrialConfigs.load(null, List.of());
        TrialConfig c100 = TrialConfigs.load(null, List.of("dataset=cifar100"));
        assertThat(c100.dataset()).isEqualTo(Dataset.CIFAR100);
        String env100 = System.getenv("AUGSWEEP_DATA_CIFAR100");
        assertThat(c100.runtime().data()).isEqualTo(env100 == null ? "cache" : env100); // the user cache by default
        assertThat(c100.id()).startsWith("cifar100-simclr-abcde-s1-seed0-").isNotEqualTo("cifar100-" + c10.id());
        assertThat(TrialConfigs.load(null, List.of("dataset=cifar100", "data=/x")).runtime().data()).isEqualTo("/x");
        assertThatThrownBy(() -> TrialConfigs.load(null, List.of("dataset=imagenet", "layout=nhwc")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("dataset = 'imagenet' is unknown")
                .hasMessageContaining("layout = 'nhwc' is unknown");
    }

    @Test
    void downloadIsAutoTrueOrFalse() {
        assertThat(TrialConfigs.load(null, List.of()).runtime().download()).isEqualTo(DownloadPolicy.AUTO);
        assertThat(TrialConfigs.load(null, List.of("download=true")).runtime().download())
                .isEqualTo(DownloadPolicy.TO_DATA_PATH);
        assertThat(TrialConfigs.load(null, List.of("download=false")).runtime().download())
                .isEqualTo(DownloadPolicy.NEVER);
        assertThatThrownBy(() -> TrialConfigs.load(null, List.of("download=sometimes", "epochs=0")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("download = 'sometimes' is unknown; expected auto")
                .hasMessageContaining("true (fetch it to the data path) or false")
                .hasMessageContaining("epochs = 0 must be positive");
    }

    @Test
    void perMethodLearningRatesFollowTheRelease() {
        assertThat(TrialConfigs.load(null, List.of("method=moco")).lr()).isEqualTo(0.08);
        assertThat(TrialConfigs.load(null, List.of("method=moco", "release=2021")).lr()).isEqualTo(0.06);
        assertThat(TrialConfigs.load(null, List.of("method=barlowtwins")).lr()).isEqualTo(0.11);
        assertThat(TrialConfigs.load(null, List.of("method=barlowtwins", "release=2021")).lr()).isEqualTo(0.001);
        assertThat(TrialConfigs.load(null, List.of("method=simsiam")).lr()).isEqualTo(0.05);
        assertThat(TrialConfigs.load(null, List.of("method=simsiam", "release=2021")).lr()).isEqualTo(0.06);
        assertThat(TrialConfigs.load(null, List.of("method=simsiam", "lr=0.2")).lr()).isEqualTo(0.2);
    }

    @Test
    void overridesOfEveryDocumentedKeyApply() {
        TrialConfig t = TrialConfigs.load(null, List.of("method=barlowtwins", "augs=dca", "strength=1/8", "seed=2",
                "epochs=3", "batch-size=64", "width=0.25", "train-limit=500", "test-limit=200", "data=/tmp/x"));
        assertThat(t.method()).isEqualTo("barlowtwins");
        assertThat(t.augs()).isEqualTo("acd"); // any order, stored canonically
        assertThat(t.strength()).isEqualTo(0.125);
        assertThat(t.seed()).isEqualTo(2);
        assertThat(t.epochs()).isEqualTo(3);
        assertThat(t.batchSize()).isEqualTo(64);
        assertThat(t.width()).isEqualTo(0.25);
        assertThat(t.trainLimit()).isEqualTo(500);
        assertThat(t.testLimit()).isEqualTo(200);
        assertThat(t.runtime().data()).isEqualTo("/tmp/x");
        assertThat(t.augmentation().blurP()).isZero();
        assertThat(t.augmentation().flipP()).isZero();
        assertThat(t.augmentation().grayP()).isEqualTo(0.2);
    }

    @Test
    void colourModeUsesStrengthAndReleaseProbability() {
        AugmentationSpec a = TrialConfigs.load(null, List.of("augs=color", "strength=0.5")).augmentation();
        assertThat(a.jitter()).isEqualTo(0.4);
        assertThat(a.hue()).isEqualTo(0.1);
        assertThat(a.jitterP()).isEqualTo(1.0);
        assertThat(a.flipP() + a.grayP() + a.blurP()).isZero();
        assertThat(a.cropMinScale()).isEqualTo(0.08);
        assertThat(TrialConfigs.load(null, List.of("augs=color", "release=2021")).augmentation().jitterP()).isEqualTo(0.8);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> TrialConfigs.load(null, List.of("method=byol", "augs=abxz", "epochs=0",
                "batch-size=-4", "widht=0.5", "train-limit=0")))
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> {
                    List<String> p = ((InvalidConfigException) e).problems();
                    assertThat(p).hasSize(6);
                    assertThat(String.join("\n", p))
                            .contains("method = 'byol' is unknown")
                            .contains("letters outside abcde ('xz')")
                            .contains("epochs = 0 must be positive")
                            .contains("batch-size = -4 must be positive")
                            .contains("unknown key 'widht'").contains("did you mean 'width'")
                            .contains("train-limit = 0 must be positive");
                });
    }

    @Test
    void fileSettingsSitUnderOverrides(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.conf");
        Files.writeString(file, "method = moco\nepochs = 7\nmoco { queue-size = 1024 }\n");
        TrialConfig t = TrialConfigs.load(file, List.of("epochs=9"));
        assertThat(t.method()).isEqualTo("moco");
        assertThat(t.epochs()).isEqualTo(9);
        assertThat(t.methodParams().mocoQueueSize()).isEqualTo(1024);
    }

    @Test
    void syntaxErrorsNameTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, "method = {\n");
        assertThatThrownBy(() -> TrialConfigs.load(file, List.of()))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("bad.conf");
    }

    @Test
    void idIsStableAndDependsOnResultDecidingSettingsOnly() {
        TrialConfig a = TrialConfigs.load(null, List.of("augs=abc", "seed=1"));
        TrialConfig b = TrialConfigs.load(null, List.of("seed=1", "augs=cba", "device=cpu", "threads=1"));
        TrialConfig c = TrialConfigs.load(null, List.of("augs=abc", "seed=2"));
        assertThat(a.id()).isEqualTo(b.id()).startsWith("simclr-abc-s1-seed1-");
        assertThat(a.id()).isNotEqualTo(c.id());
    }
}
