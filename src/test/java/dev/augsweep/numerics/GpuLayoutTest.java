package dev.augsweep.numerics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.model.MemoryLayout;
import org.junit.jupiter.api.Test;

/** The GPU's layout decision as a function of what was measured (no GPU needed: the figures are given). */
class GpuLayoutTest {
    private static LayoutCheck.Agreement measured(MemoryLayout layout, double error) {
        return new LayoutCheck.Agreement(layout, error, "backbone/01Conv2d_weight");
    }

    @Test
    void channelsLastIsKeptWhereItAgreesWithTf32OffOrWithinNchwsOwnNoise() {
        // what an H200 showed with TF32 on (0.108) would send it to NCHW; with TF32 off the algorithms agree
        GpuLayout.Decision agrees = GpuLayout.decide(MemoryLayout.CHANNELS_LAST,
                measured(MemoryLayout.CHANNELS_LAST, 3e-4), measured(MemoryLayout.NCHW, 1e-4));
        assertThat(agrees.layout()).isEqualTo(MemoryLayout.CHANNELS_LAST);
        assertThat(agrees.why()).startsWith("channels-last: channels-last against NCHW with TF32 off: 0.000300")
                .contains("NCHW against itself: 0.000100").contains("bound 0.100");
        // a device whose NCHW is itself noisy (nondeterministic algorithms) is judged against that noise
        GpuLayout.Decision noisy = GpuLayout.decide(MemoryLayout.CHANNELS_LAST,
                measured(MemoryLayout.CHANNELS_LAST, 0.2), measured(MemoryLayout.NCHW, 0.08));
        assertThat(noisy.layout()).isEqualTo(MemoryLayout.CHANNELS_LAST);
        assertThat(noisy.why()).contains("bound 0.240");
    }

    @Test
    void aLayoutThatMiscomputesGoesToNchwAndSaysWhy() {
        GpuLayout.Decision wrong = GpuLayout.decide(MemoryLayout.CHANNELS_LAST,
                measured(MemoryLayout.CHANNELS_LAST, 1.2), measured(MemoryLayout.NCHW, 1e-4));
        assertThat(wrong.layout()).isEqualTo(MemoryLayout.NCHW);
        assertThat(wrong.why()).startsWith("nchw, as channels-last disagrees: channels-last against NCHW with TF32 "
                + "off: 1.20 in backbone/01Conv2d_weight");
        GpuLayout.Decision nan = GpuLayout.decide(MemoryLayout.CHANNELS_LAST,
                measured(MemoryLayout.CHANNELS_LAST, Double.POSITIVE_INFINITY), measured(MemoryLayout.NCHW,
                        Double.POSITIVE_INFINITY));
        assertThat(nan.layout()).as("non-finite noise does not excuse a non-finite difference")
                .isEqualTo(MemoryLayout.NCHW);
    }
}
