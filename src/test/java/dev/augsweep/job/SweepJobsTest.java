package dev.augsweep.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.config.TrialConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepJobsTest {
    @Test
    void shippedJobsExpandToThePapersGrids() {
        assertThat(SweepJobs.load(Path.of("jobs/paper-augmentations.conf"), List.of(), 1000).trials()).hasSize(30);
        assertThat(SweepJobs.load(Path.of("jobs/paper-color-strength.conf"), List.of(), 1000).trials()).hasSize(24);
        SweepJob all = SweepJobs.load(Path.of("jobs/all-methods.conf"), List.of(), 1000);
        assertThat(all.trials()).hasSize(4 * 9 * 3);
        assertThat(all.trials()).allSatisfy(t -> assertThat(t.epochs()).isEqualTo(800));
        assertThat(all.trials().stream().map(TrialConfig::method).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("simclr", "moco", "simsiam", "barlowtwins");
        SweepJob smoke = SweepJobs.load(Path.of("jobs/smoke.conf"), List.of(), 1000);
        assertThat(smoke.trials()).hasSize(2 * 5 * 2 + 2 * 4 * 2);
        assertThat(smoke.trials().get(0).id()).startsWith("simclr-abcde-s1-seed0-");
        SweepJob c100 = SweepJobs.load(Path.of("jobs/paper-augmentations-cifar100.conf"), List.of(), 1000);
        assertThat(c100.trials()).hasSize(4 * 5 * 3).allSatisfy(t -> assertThat(t.dataset().key()).isEqualTo("cifar100"));
        assertThat(SweepJobs.load(Path.of("jobs/paper-color-strength-cifar100.conf"), List.of(), 1000).trials())
                .hasSize(4 * 4 * 3);
        SweepJob pairs = SweepJobs.load(Path.of("jobs/paper-pairs.conf"), List.of(), 1000);
        assertThat(pairs.trials()).hasSize(10 * 3).allSatisfy(t -> assertThat(t.epochs()).isEqualTo(200));
        SweepJob cpu = SweepJobs.load(Path.of("jobs/cpu-paper.conf"), List.of(), 1000);
        assertThat(cpu.trials()).hasSize(2 * 9 * 3).allSatisfy(t -> assertThat(t.width()).isEqualTo(0.125));
        assertThat(cpu.schedule()).isNull();
        SweepJob halving = SweepJobs.load(Path.of("jobs/cpu-paper-halving.conf"), List.of(), 1000);
        // SimCLR's trials of the full job (the same ids) under a schedule that ranks each table's cells apart.
        assertThat(halving.trials()).extracting(TrialConfig::id).containsExactlyInAnyOrderElementsOf(
                cpu.trials().stream().filter(t -> t.method().equals("simclr")).map(TrialConfig::id).toList());
        assertThat(halving.schedule().rungs()).containsExactly(4, 8);
        assertThat(halving.schedule().groupBy()).containsExactly("grid");
        assertThat(halving.gridOf().values()).containsOnly(0, 1);
    }

    @Test
    void aScheduleIsValidatedAgainstTheTrialsItSchedules(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("bad.conf");
        Files.writeString(job, "name = bad\ngrid { method = [simclr], epochs = [10, 20] }\n"
                + "schedule { kind = halving, rungs = [30], keep = 1/3, metric = loss }\n");
        assertThatThrownBy(() -> SweepJobs.load(job, List.of(), 100)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("the same epochs").hasMessageContaining("schedule.metric = 'loss'");
    }

    /** Whole numbers in a job file: a fractional rung or sample count is refused, not truncated. */
    @Test
    void aFractionalRungOrSampleCountIsRefused(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("fractions.conf");
        Files.writeString(job, "name = fractions\ngrid { method = [simclr], epochs = [4], seed = [0] }\n"
                + "schedule { kind = asha, rungs = [1.5, 3], reduction = 3 }\n");
        assertThatThrownBy(() -> SweepJobs.load(job, List.of(), 100)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("schedule.rungs[0] = 1.5 in " + job + " is not a whole number; e.g. "
                        + "schedule.rungs[0] = 2")
                .hasMessageNotContaining("missing or empty");
        Files.writeString(job, "name = fractions\ngrid { method = [simclr], epochs = [4], seed = [0] }\n"
                + "search { samples = 2.5, lr = \"uniform(0.1, 0.2)\" }\n");
        assertThatThrownBy(() -> SweepJobs.load(job, List.of(), 100)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("search.samples = 2.5 in " + job + " is not a whole number");
    }

    /** 8 samples, rungs [3, 9, 27], reduction 3: half the arrival orders trained no cell to the end, unsaid. */
    @Test
    void rungsLikelyToPassNoCellAreWarnedOfBeforeTheSearchRuns(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("narrow.conf");
        Files.writeString(job, "name = narrow\ngrid { method = [simclr], seed = [0] }\ntrial { epochs = 27 }\n"
                + "schedule { kind = asha, rungs = [3, 9], reduction = 3 }\n"
                + "search { samples = 8, lr = \"uniform(0.01, 0.1)\" }\n");
        assertThat(SweepJobs.load(job, List.of(), 100).warnings()).singleElement().asString()
                .contains("8 cell(s) ranked together").contains("about 8 -> 2 -> 0 cells reach epochs 3, 9, 27")
                .contains("likely no cell trains to the end");
        Files.writeString(job, "name = wide\ngrid { method = [simclr], seed = [0] }\ntrial { epochs = 27 }\n"
                + "schedule { kind = asha, rungs = [3, 9], reduction = 3 }\n"
                + "search { samples = 27, lr = \"uniform(0.01, 0.1)\" }\n");
        assertThat(SweepJobs.load(job, List.of(), 100).warnings()).isEmpty();
    }

    /** augs = [a, aa, A] became one trial without a word. */
    @Test
    void valuesOfAnAxisThatMeanTheSameTrialAreWarnedOf(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("same.conf");
        Files.writeString(job, "name = same\ngrid { method = [simclr], augs = [a, aa, A, ab], seed = [0] }\n");
        SweepJob same = SweepJobs.load(job, List.of(), 100);
        assertThat(same.trials()).hasSize(2);
        assertThat(same.warnings()).singleElement().asString()
                .startsWith("grid[0].augs in " + job + " has values that mean the same trial: a, aa, A")
                .contains("they run once, not 3 times");
        // Two grid entries sharing a cell on purpose (the paper's tables share abcde at full strength): no warning.
        assertThat(SweepJobs.load(Path.of("jobs/smoke.conf"), List.of(), 1000).warnings()).isEmpty();
    }

    @Test
    void idsAreStableAndOverridesApplyToEveryTrial() {
        SweepJob a = SweepJobs.load(Path.of("jobs/smoke.conf"), List.of(), 1000);
        SweepJob b = SweepJobs.load(Path.of("jobs/smoke.conf"), List.of(), 1000);
        assertThat(a.trials().stream().map(TrialConfig::id).toList())
                .isEqualTo(b.trials().stream().map(TrialConfig::id).toList());
        SweepJob oneEpoch = SweepJobs.load(Path.of("jobs/smoke.conf"), List.of("epochs=1"), 1000);
        assertThat(oneEpoch.trials()).allSatisfy(t -> assertThat(t.epochs()).isEqualTo(1));
        assertThat(oneEpoch.trials().get(0).id()).isNotEqualTo(a.trials().get(0).id());
        // An override of an axis collapses it: duplicates are one trial.
        assertThat(SweepJobs.load(Path.of("jobs/smoke.conf"), List.of("seed=0"), 1000).trials()).hasSize(18);
        Set<String> data = a.trials().stream().map(t -> t.runtime().data()).collect(Collectors.toSet());
        assertThat(data).hasSize(1).allSatisfy(d -> assertThat(Path.of(d).isAbsolute()).isTrue());
    }

    @Test
    void everyProblemInAJobIsListedAtOnce(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("bad.conf");
        Files.writeString(job, """
                name = bad
                epochs = 3
                grid { method = [simclr, byol], augs = [abq], colour = [1], seed = [] }
                trial { widht = 0.5 }
                """);
        assertThatThrownBy(() -> SweepJobs.load(job, List.of("batch-size=0"), 1000))
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(String.join("\n", ((InvalidConfigException) e).problems()))
                        .contains("unknown top-level key 'epochs'")
                        .contains("unknown key 'colour'")
                        .contains("unknown key 'widht'")
                        .contains("axis 'seed' is empty"));
        Path values = dir.resolve("values.conf");
        Files.writeString(values, "grid { method = [simclr, byol], augs = [abq] }\n");
        assertThatThrownBy(() -> SweepJobs.load(values, List.of("batch-size=0"), 1000))
                .satisfies(e -> assertThat(String.join("\n", ((InvalidConfigException) e).problems()))
                        .contains("method = 'byol' is unknown").contains("letters outside abcde ('q')")
                        .contains("batch-size = 0 must be positive"));
    }

    @Test
    void emptyAndHugeGridsAreRefused(@TempDir Path dir) throws Exception {
        Path empty = dir.resolve("empty.conf");
        Files.writeString(empty, "name = empty\n");
        assertThatThrownBy(() -> SweepJobs.load(empty, List.of(), 1000)).hasMessageContaining("has no grid");
        Path huge = dir.resolve("huge.conf");
        StringBuilder seeds = new StringBuilder();
        for (int i = 0; i < 2500; i++) {
            seeds.append(i).append(i < 2499 ? "," : "");
        }
        Files.writeString(huge, "grid { method = [simclr, moco, simsiam, barlowtwins], seed = [" + seeds + "] }\n");
        assertThatThrownBy(() -> SweepJobs.load(huge, List.of(), 1000))
                .hasMessageContaining("10000 trials").hasMessageContaining("--max-trials 10000");
        assertThat(SweepJobs.load(huge, List.of(), 10_000).trials()).hasSize(10_000);
    }

    @Test
    void aSearchCrossesItsSamplesWithTheGridsSeedsAndRefusesClashes(@TempDir Path dir) throws Exception {
        SweepJob job = SweepJobs.load(Path.of("jobs/search-tiny.conf"), List.of(), 100);
        assertThat(job.trials()).hasSize(16);
        assertThat(job.search().samples()).isEqualTo(8);
        // Each sample trains at seeds 0 and 1, side by side: one cell of two seeds per sample.
        assertThat(job.trials().stream().map(t -> t.cellId()).distinct().count()).isEqualTo(8);
        for (int i = 0; i < 16; i += 2) {
            var a = job.trials().get(i);
            var b = job.trials().get(i + 1);
            assertThat(List.of(a.seed(), b.seed())).containsExactly(0, 1);
            assertThat(a.cellId()).isEqualTo(b.cellId());
            assertThat(job.sampleOf(a.id())).isEqualTo(job.sampleOf(b.id()));
            assertThat(a.lr()).isEqualTo((Double) job.sampleOf(a.id()).values().get("lr"));
            assertThat(a.strength()).isEqualTo((Double) job.sampleOf(a.id()).values().get("strength"));
        }
        assertThat(SweepJobs.load(Path.of("jobs/search-tiny.conf"), List.of(), 100).trials())
                .extracting(t -> t.id()).isEqualTo(job.trials().stream().map(t -> t.id()).toList());
        Path clash = dir.resolve("clash.conf");
        Files.writeString(clash, """
                grid { method = [simclr], lr = [0.1, 0.2], seed = [0] }
                search { samples = 2, lr = "loguniform(0.01, 1.0)", strength = "normal(0, 1)" }
                """);
        assertThatThrownBy(() -> SweepJobs.load(clash, List.of("strength=0.5"), 100))
                .hasMessageContaining("'lr' in " + clash + " is both a grid axis and sampled by search")
                .hasMessageContaining("'normal' is not a known distribution");
        Path cli = dir.resolve("cli.conf");
        Files.writeString(cli, "grid { method = [simclr], seed = [0] }\nsearch { samples = 2, lr = \"uniform(0.1, 0.2)\" }\n");
        assertThatThrownBy(() -> SweepJobs.load(cli, List.of("lr=0.3"), 100))
                .hasMessageContaining("'lr' is sampled by the search of " + cli + " and set on the command line");
        assertThatThrownBy(() -> SweepJobs.load(cli, List.of(), 1))
                .hasMessageContaining("has 2 trials, more than the limit of 1");
    }
}
