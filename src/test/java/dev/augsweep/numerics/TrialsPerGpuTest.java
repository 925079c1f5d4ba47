package dev.augsweep.numerics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrialsPerGpuTest {
    @Test
    void narrowerNetworksShareAGpuAsFarAsTheCoresAllow() {
        assertThat(TrialsPerGpu.auto(1, 16, 1)).isEqualTo(1);
        assertThat(TrialsPerGpu.auto(0.5, 16, 1)).isEqualTo(1);
        assertThat(TrialsPerGpu.auto(0.25, 16, 1)).isEqualTo(2);
        assertThat(TrialsPerGpu.auto(0.125, 16, 1)).isEqualTo(4);
        assertThat(TrialsPerGpu.auto(0.125, 16, 8)).as("8 GPUs on 16 cores: 2 cores per trial at one per GPU")
                .isEqualTo(1);
        assertThat(TrialsPerGpu.auto(0.125, 32, 4)).isEqualTo(4);
        assertThat(TrialsPerGpu.auto(0.125, 12, 2)).isEqualTo(3);
        assertThat(TrialsPerGpu.auto(0.0625, 2, 1)).as("never fewer than one").isEqualTo(1);
    }
}
