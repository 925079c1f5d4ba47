package dev.augsweep.device;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a trial's device was, recorded with its results beside {@code device}, {@code threads} and {@code layout}:
 * the GPU the cluster assigned and what the worker process saw of it, the card, CUDA, cuDNN and TF32 (see
 * {@link GpuFacts}), and why the trial ran where it did, with a flag for a CPU fallback.
 *
 * @param assigned    the address Spark (or local mode) assigned, null without one
 * @param trialsOnGpu how many trials shared that GPU at most, null without one
 */
public record DeviceRecord(String assigned, Integer trialsOnGpu, String visibleDevices, Devices.Placement placement,
                           GpuFacts gpu, String cpuKernels) {
    /**
     * The record of a trial placed by {@code placement} in this process.
     *
     * @param cpuKernels on the CPU, which convolution kernels the kernel guard let the trial use and why; else null
     */
    public static DeviceRecord of(AssignedGpu assigned, Devices.Placement placement, String cpuKernels) {
        return new DeviceRecord(assigned == null ? null : assigned.address(),
                assigned == null ? null : assigned.trialsOnGpu(), System.getenv(AssignedGpu.VISIBLE_DEVICES),
                placement, GpuFacts.of(placement.device()), cpuKernels);
    }

    /** The columns of the trials table this record fills. */
    public Map<String, Object> columns() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gpu", assigned);
        m.put("trials_on_gpu", trialsOnGpu);
        m.put("cuda_visible_devices", visibleDevices);
        m.put("gpu_name", gpu.name());
        m.put("cuda", gpu.cuda());
        m.put("cudnn", gpu.cudnn());
        m.put("tf32_conv", gpu.tf32Conv());
        m.put("device_note", placement.why());
        m.put("cpu_fallback", placement.cpuFallback());
        m.put("cpu_kernels", cpuKernels);
        return m;
    }
}
