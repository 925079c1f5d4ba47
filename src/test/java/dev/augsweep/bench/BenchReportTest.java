package dev.augsweep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchReportTest {
    @Test
    void jsonHasOneObjectPerMeasureWithValuePeerRatioGoalAndMet() {
        List<Measure> measures = List.of(
                new Measure("train_w1", 40.0, "images/s", 32.0, 1.25, "≥ 1.25× PyTorch", true),
                new Measure("knn_seconds", 3.0, "s", null, 2.0, "≤ 1.5× bare", false));
        Config json = ConfigFactory.parseString(BenchReport.json(measures));
        assertThat(json.getDouble("train_w1.ratio")).isEqualTo(1.25);
        assertThat(json.getBoolean("train_w1.met")).isTrue();
        assertThat(json.getString("knn_seconds.unit")).isEqualTo("s");
        assertThat(json.getIsNull("knn_seconds.peer")).isTrue();
        assertThat(BenchReport.table(measures)).contains("train_w1").contains("NO");
    }

    @Test
    void theHostPathIsTimedPartByPartAndAStepCreatesAFixedNumberOfTensors() {
        double[][] parts = new Benchmarks(System.out, dev.augsweep.testing.TestData.cifar(), 2, 2).hostStep(0.125, 32);
        assertThat(parts).hasNumberOfRows(7);
        for (int part : new int[] {0, 1, 2, 3, 4, 6}) {
            assertThat(parts[part]).as("part %d", part).hasSize(6);
            for (double seconds : parts[part]) {
                assertThat(seconds).as("part %d", part).isPositive();
            }
        }
        // Every step makes the same tensors: none accumulate from one step to the next.
        assertThat(parts[5]).containsOnly(parts[5][0]);
        assertThat(parts[5][0]).isGreaterThan(20);
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(Benchmarks.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(Benchmarks.median(new double[] {4, 1, 2, 3})).isEqualTo(2.5);
    }
}
