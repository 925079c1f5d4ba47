package dev.augsweep.device;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * The GPU (if any) and the libtorch threads of one Spark task: the GPU Spark's scheduler assigned
 * ({@code spark.task.resource.gpu.amount=1}, or 1/N for N trials per GPU, on a cluster), or in local mode a place on
 * one from the driver's {@link LocalGpuPool}; held until {@link #close}.
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
     * Trials that share one GPU (a positive whole number, default 1, or auto: numerics.TrialsPerGpu): where one trial
     * cannot fill a GPU (a narrow network), N run on it at once, each in its own process and CUDA context with its
     * share of the cores. In local mode the driver's pool places them; on a cluster it is Spark's
     * {@code spark.task.resource.gpu.amount = 1/N}.
     */
    public static final String TRIALS_PER_GPU = "spark.augsweep.trialsPerGpu";
    private static final String GPU_AMOUNT = "spark.task.resource.gpu.amount";

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
            // a fractional amount (1/N) lets Spark put N tasks on one GPU: each records that it shared it
            long sharing = Math.max(1, Math.round(1 / SparkEnv.get().conf().getDouble(GPU_AMOUNT, 1.0)));
            return new TaskGpu(AssignedGpu.resolve(assigned.addresses()[0], visible).sharedBy((int) sharing),
                    threads, false);
        }
        List<String> local = AssignedGpu.entries(SparkEnv.get().conf().get(LOCAL_GPUS, ""));
        if (!local.isEmpty()) {
            int perGpu = SparkEnv.get().conf().getInt(TRIALS_PER_GPU, 1);
            String address = LocalGpuPool.acquire(local, perGpu);
            int threads = configuredThreads > 0 ? configuredThreads
                    : SparkEnv.get().conf().getInt(LOCAL_THREADS, task.cpus());
            // The driver's own CUDA_VISIBLE_DEVICES entries (in its CUDA_DEVICE_ORDER, which the worker inherits) or
            // indices of all its GPUs: taken as they are.
            return new TaskGpu(new AssignedGpu(address, address, false, perGpu), threads, true);
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
