package dev.augsweep.device;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

/** The facts recorded beside a GPU trial, read from the libtorch this JVM loaded. */
class GpuFactsTest {
    @Test
    void libtorchsTf32SwitchForConvolutionsIsReadAsItIsSet() {
        LoadedLibTorch.directory(); // starts DJL's engine, which maps libtorch_cpu.so
        Boolean before = GpuFacts.tf32ConvAllowed();
        assertThat(before).as("libtorch's default, as torch.backends.cudnn.allow_tf32").isTrue();
        try {
            GpuFacts.allowTf32Conv(false);
            assertThat(GpuFacts.tf32ConvAllowed()).isFalse();
        } finally {
            GpuFacts.allowTf32Conv(true);
        }
        assertThat(GpuFacts.tf32ConvAllowed()).isTrue();
    }

    @Test
    void aCpuTrialRecordsNoGpuFacts() {
        assertThat(GpuFacts.of(Device.cpu())).isEqualTo(new GpuFacts(null, null, null, null));
    }
}
