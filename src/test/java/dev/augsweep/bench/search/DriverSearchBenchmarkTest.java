package dev.augsweep.bench.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The search benchmark through the driver: a real search over simulated trials, with and without ASHA. */
class DriverSearchBenchmarkTest {
    @Test
    void aTpeSearchThroughTheDriverFindsTheSurfacesOptimumAndAshaSpendsFewerEpochs(@TempDir Path dir) {
        Objective f = Objectives.named("lr-strength");
        DriverSearchBenchmark.Run full = DriverSearchBenchmark.run(f, false, "tpe", false, 1, 24, 2, dir.resolve("full"));
        DriverSearchBenchmark.Run asha = DriverSearchBenchmark.run(f, false, "tpe", true, 1, 24, 2, dir.resolve("asha"));
        System.out.printf("driver path, 24 samples: %.1f s without a schedule, %.1f s with ASHA (%d epochs)%n",
                full.seconds(), asha.seconds(), asha.epochs());
        assertThat(full.epochs()).isEqualTo(24L * DriverSearchBenchmark.EPOCHS);
        // ASHA at reduction 3 over rungs 3 and 9: every sample trains 3 epochs, about a third 9, a ninth 27.
        assertThat(asha.epochs()).isBetween(24L * 3, 24L * DriverSearchBenchmark.EPOCHS / 2);
        for (DriverSearchBenchmark.Run r : java.util.List.of(full, asha)) {
            for (int i = 1; i < r.regret().length; i++) {
                assertThat(r.regret()[i]).isLessThanOrEqualTo(r.regret()[i - 1]);
            }
            // Random points score 1.8 on average over this space (its f's mean); a search finds far better.
            assertThat(r.finalRegret()).isBetween(0.0, 0.5);
        }
    }

    @Test
    void anObjectiveWhoseSettingsAreNotTrialSettingsIsRefusedNamingThem() {
        ObjectiveCurve curve = new ObjectiveCurve("branin", 27, 0, true);
        assertThatThrownBy(() -> ObjectiveCurve.setting(null, "x1")).hasMessageContaining("x1")
                .hasMessageContaining("lr, strength");
        assertThat(curve.objective()).isEqualTo("branin");
    }
}
