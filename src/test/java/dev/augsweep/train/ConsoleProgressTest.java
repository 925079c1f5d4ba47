package dev.augsweep.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The epoch line a user watches: its kNN, and the best so far only once there is one. */
class ConsoleProgressTest {
    private static String line(EpochMetrics m, EpochMetrics best) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ConsoleProgress(new PrintStream(out, true, StandardCharsets.UTF_8), "[t] ").epoch(m, 48, best, 90);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void beforeTheFirstEvaluationNoBestIsShownAsZero() {
        String first = line(new EpochMetrics(1, -0.41, null, 0.05, 37, 0, 269.1, false, null), null);
        assertThat(first).contains("knn    -    (no kNN yet)").doesNotContain("0.00%").contains("ETA 1m30s");
    }

    @Test
    void afterAnEvaluationTheBestAndItsEpochAreShown() {
        EpochMetrics best = new EpochMetrics(2, -0.80, 0.234, 0.05, 37, 1, 269.1, false, null);
        String later = line(new EpochMetrics(3, -0.88, null, 0.05, 37, 0, 269.1, false, null), best);
        assertThat(later).contains("knn    -    (best 23.40% @2)");
    }
}
