package dev.augsweep.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.storage.StorePath;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shipped snapshot holds two MoCo runs whose loss ended above their first epoch's (issue 48: abcd and abcde at
 * seed 0, kNN 36.42 and 37.92, each several spreads below its cell's other seeds); every other finished trial's
 * loss fell. The tables' warnings name those two and no other, and the trials view notes them in their rows.
 */
class StalledRunsTest {
    @Test
    void theSnapshotsTwoStalledMocoRunsAreNamedAndNoOther() {
        try (ResultsViews views = ResultsViews.open(List.of(StorePath.local(Path.of("docs/results/cpu-paper-v2"))))) {
            List<String> warnings = StalledRuns.warnings(views);
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0)).startsWith("warning: 2 finished trial(s) ended with a higher training loss")
                    .contains("moco abcd seed 0 (loss 6.94 -> 7.20, kNN 36.42)")
                    .contains("moco abcde seed 0 (loss 6.89 -> 7.09, kNN 37.92)");
            List<String> noted = views.spark().sql("SELECT concat(augs, ' ', seed, ' ', run_note) FROM trials WHERE "
                    + "run_note IS NOT NULL ORDER BY augs").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
            assertThat(noted).containsExactly("abcd 0 stalled: loss rose over the run (6.94 -> 7.20)",
                    "abcde 0 stalled: loss rose over the run (6.89 -> 7.09)");
        }
    }
}
