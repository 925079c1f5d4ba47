package dev.augsweep.numerics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.config.TrialConfigs;
import java.util.List;
import org.junit.jupiter.api.Test;

class AugmentThreadsTest {
    @Test
    void autoGivesAGpuTrialItsCoresButOneAndACpuTrialOne() {
        assertThat(AugmentThreads.of(TrialConfig.Runtime.AUTO, true, 16)).isEqualTo(15);
        assertThat(AugmentThreads.of(TrialConfig.Runtime.AUTO, true, 4)).isEqualTo(3); // a quarter of a 16-core box
        assertThat(AugmentThreads.of(TrialConfig.Runtime.AUTO, true, 1)).isEqualTo(1);
        assertThat(AugmentThreads.of(TrialConfig.Runtime.AUTO, false, 16)).isEqualTo(1);
        assertThat(AugmentThreads.of(6, true, 16)).as("a count set is kept").isEqualTo(6);
        assertThat(AugmentThreads.of(6, false, 2)).isEqualTo(6);
    }

    @Test
    void theSettingIsAutoByDefaultAndTakesACount() {
        assertThat(TrialConfigs.load(null, List.of()).runtime().augmentThreads()).isEqualTo(TrialConfig.Runtime.AUTO);
        assertThat(TrialConfigs.load(null, List.of("augment-threads=14")).runtime().augmentThreads()).isEqualTo(14);
        assertThatThrownBy(() -> TrialConfigs.load(null, List.of("augment-threads=0")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("augment-threads = 0 must be positive");
        assertThatThrownBy(() -> TrialConfigs.load(null, List.of("augment-threads=many")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("augment-threads");
    }
}
