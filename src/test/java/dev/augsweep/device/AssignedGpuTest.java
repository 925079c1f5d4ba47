package dev.augsweep.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** How an address a cluster assigns becomes the one GPU a worker process sees. */
class AssignedGpuTest {
    @Test
    void anIndexIsTheGpuNvidiaSmiNumbersSoCudaIsToldToNumberByPciBus() {
        AssignedGpu gpu = AssignedGpu.resolve("3", null);
        assertThat(gpu.environment()).isEqualTo(Map.of("CUDA_VISIBLE_DEVICES", "3", "CUDA_DEVICE_ORDER", "PCI_BUS_ID"));
        assertThat(gpu.address()).isEqualTo("3");
    }

    @Test
    void uuidsAndMigInstancesPassThroughWhateverTheExecutorSees() {
        String uuid = "GPU-8a1e2f4c-6b0d-4c3e-9f21-0d5e7a9b1c22";
        assertThat(AssignedGpu.resolve(uuid, "0,1").environment()).isEqualTo(Map.of("CUDA_VISIBLE_DEVICES", uuid));
        String mig = "MIG-4b5c6d7e-8f90-5a1b-2c3d-4e5f6a7b8c9d";
        assertThat(AssignedGpu.resolve(" " + mig + " ", null).environment())
                .isEqualTo(Map.of("CUDA_VISIBLE_DEVICES", mig));
        String oldMig = "MIG-GPU-8a1e2f4c-6b0d-4c3e-9f21-0d5e7a9b1c22/1/0";
        assertThat(AssignedGpu.resolve(oldMig, null).visibleDevices()).isEqualTo(oldMig);
    }

    @Test
    void anIndexInANarrowedExecutorIsThatGpuWhenListedElseAPositionInTheList() {
        // An operator narrowed the executor to GPUs 2 and 3; the discovery script (nvidia-smi) reports 3.
        assertThat(AssignedGpu.resolve("3", "2,3").visibleDevices()).isEqualTo("3");
        // A container numbering its GPUs from 0 (Kubernetes, YARN with Docker) under a narrowed list: a position.
        assertThat(AssignedGpu.resolve("1", "2,3").visibleDevices()).isEqualTo("3");
        AssignedGpu byUuid = AssignedGpu.resolve("0", "GPU-aaaa,GPU-bbbb");
        assertThat(byUuid.environment()).isEqualTo(Map.of("CUDA_VISIBLE_DEVICES", "GPU-aaaa"));
        assertThat(byUuid.address()).isEqualTo("0");
    }

    @Test
    void anAddressTheExecutorCannotSeeIsRefusedWithTheFix() {
        assertThatThrownBy(() -> AssignedGpu.resolve("5", "2,3")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CUDA_VISIBLE_DEVICES=2,3").hasMessageContaining("discoveryScript");
        assertThatThrownBy(() -> AssignedGpu.resolve(" ", null)).hasMessageContaining("empty GPU address");
    }
}
