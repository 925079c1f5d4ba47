package dev.augsweep.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The epoch line a user watches: its kNN, and the best so far only once there is one. */
class ConsoleProgressTest {
    private static String line(EpochMetrics m, double best, int bestEpoch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ConsoleProgress(new PrintStream(out, true, StandardCharsets.UTF_8), "[t] ").epoch(m, 48, best, bestEpoch, 90);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void beforeTheFirstEvaluationNoBestIsShownAsZero() {
        String first = line(new EpochMetrics(1, -0.41, null, 0.05, 37, 0, 269.1, false, null), 0, 0);
        assertThat(first).contains("knn    -    (no kNN yet)").doesNotContain("0.00%").contains("ETA 1m30s");
    }

    @Test
    void afterAnEvaluationTheBestAndItsEpochAreShown() {
        String later = line(new EpochMetrics(3, -0.88, null, 0.05, 37, 0, 269.1, false, null), 0.234, 2);
        assertThat(later).contains("knn    -    (best 23.40% @2)");
    }
}
