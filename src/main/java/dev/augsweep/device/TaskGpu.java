package dev.augsweep.device;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * The GPU (if any) and the libtorch threads of one Spark task: the GPU Spark's scheduler assigned
 * ({@code spark.task.resource.gpu.amount=1} on a cluster), or in local mode one from the driver's {@link LocalGpuPool};
 * held until {@link #close}.
 *
 * @param gpu     null where the task has no GPU
 * @param threads libtorch's intra-op threads for the trial
 */
public record TaskGpu(AssignedGpu gpu, int threads, boolean pooled) implements AutoCloseable {
    /** Local mode's GPU addresses, comma-separated, set by the driver (SparkSessions) where it found GPUs. */
    public static final String LOCAL_GPUS = "spark.augsweep.local.gpus";
    /** Local mode's threads per trial with GPUs: the cores split between the GPUs' trials. */
    public static final String LOCAL_THREADS = "spark.augsweep.local.threadsPerTrial";

    /**
     * @param configuredThreads the trial's {@code threads} setting (0: as the task's resources say)
     */
    public static TaskGpu forTask(TaskContext task, int configuredThreads) throws InterruptedException {
        String visible = System.getenv(AssignedGpu.VISIBLE_DEVICES);
        ResourceInformation assigned = task.resources().get("gpu").getOrElse(() -> null);
        if (assigned != null && assigned.addresses().length > 0) {
            if (assigned.addresses().length > 1) {
                throw new IllegalArgumentException("a trial trains on one GPU, but Spark assigned this task "
                        + Arrays.toString(assigned.addresses()) + ": set spark.task.resource.gpu.amount=1");
            }
            int threads = configuredThreads > 0 ? configuredThreads : task.cpus();
            return new TaskGpu(AssignedGpu.resolve(assigned.addresses()[0], visible), threads, false);
        }
        List<String> local = AssignedGpu.entries(SparkEnv.get().conf().get(LOCAL_GPUS, ""));
        if (!local.isEmpty()) {
            String address = LocalGpuPool.acquire(local);
            int threads = configuredThreads > 0 ? configuredThreads
                    : SparkEnv.get().conf().getInt(LOCAL_THREADS, task.cpus());
            // The driver's own CUDA_VISIBLE_DEVICES entries (in its CUDA_DEVICE_ORDER, which the worker inherits) or
            // indices of all its GPUs: taken as they are.
            return new TaskGpu(new AssignedGpu(address, address, false), threads, true);
        }
        return new TaskGpu(null, configuredThreads > 0 ? configuredThreads : task.cpus(), false);
    }

    @Override
    public void close() {
        if (pooled) {
            LocalGpuPool.release(gpu.address());
        }
    }
}
