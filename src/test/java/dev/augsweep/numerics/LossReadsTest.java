package dev.augsweep.numerics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.config.TrialConfigs;
import java.util.List;
import org.junit.jupiter.api.Test;

class LossReadsTest {
    @Test
    void autoReadsEveryStepOnACpuAndEverySixteenOnAGpu() {
        assertThat(LossReads.every(TrialConfig.Runtime.AUTO, false)).isEqualTo(1);
        assertThat(LossReads.every(TrialConfig.Runtime.AUTO, true)).isEqualTo(16);
        assertThat(LossReads.every(4, false)).as("a count set is kept").isEqualTo(4);
        assertThat(LossReads.every(1, true)).isEqualTo(1);
    }

    @Test
    void theSettingIsAutoByDefaultAndTakesACount() {
        assertThat(TrialConfigs.load(null, List.of()).runtime().lossReadEvery()).isEqualTo(TrialConfig.Runtime.AUTO);
        assertThat(TrialConfigs.load(null, List.of("loss-read-every=8")).runtime().lossReadEvery()).isEqualTo(8);
        assertThatThrownBy(() -> TrialConfigs.load(null, List.of("loss-read-every=0")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("loss-read-every = 0 must be positive");
    }
}
