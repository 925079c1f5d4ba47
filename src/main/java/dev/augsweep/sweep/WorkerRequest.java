package dev.augsweep.sweep;

import dev.augsweep.config.TrialConfig;
import dev.augsweep.device.AssignedGpu;
import dev.augsweep.storage.StorePath;
import java.io.Serializable;
import java.util.Map;

/**
 * What a Spark task asks a {@link TrialWorker} to do: train {@code trial} (placed on the task's device and threads)
 * in {@code trialDir}, resuming from its checkpoint, up to epoch {@code stopAfter}.
 *
 * @param sparkAttempt Spark's attempt number of the task (fault injection tells first attempts apart)
 * @param conservative a retry after the process died: plain NCHW layout, oneDNN limited to {@link #SAFE_ISA}
 * @param note         what happened before this attempt (a crash), recorded with the outcome
 * @param gpu          the GPU the task was assigned, which the worker process alone sees; null for none
 * @param storage      the Hadoop settings the results store is reached with (dev.augsweep.storage.Storage)
 */
record WorkerRequest(TrialConfig trial, StorePath trialDir, int stopAfter, int sparkAttempt, boolean conservative,
                     String note, AssignedGpu gpu, Map<String, String> storage) implements Serializable {
    /**
     * The instruction set a conservative retry limits oneDNN to: AVX2 kernels are the most widely run ones, and
     * the defect that crashed AVX-512 machines here (docs/performance.md: memory layout) did not occur with AVX2 and NCHW.
     */
    static final String SAFE_ISA = "AVX2";

    /** The same trial, retried after its process died: NCHW, safe ISA, from its last checkpoint. */
    WorkerRequest conservativeRetry(String whatHappened) {
        return new WorkerRequest(trial.withRuntime(trial.runtime().withLayout("nchw")), trialDir, stopAfter,
                sparkAttempt, true, whatHappened, gpu, storage);
    }
}
