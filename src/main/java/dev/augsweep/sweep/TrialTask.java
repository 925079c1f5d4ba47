package dev.augsweep.sweep;

import dev.augsweep.config.TrialConfig;
import dev.augsweep.jvm.CrashLog;
import dev.augsweep.jvm.WatchedProcess;
import java.nio.file.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.resource.ResourceInformation;

/**
 * The executor side of a sweep: one Spark task trains and evaluates one trial (or the segment of it up to a rung),
 * in a {@link TrialWorker} process so
 * that a native crash cannot take the executor (or, in local mode, the driver) with it. A trial that already has
 * an outcome is not trained again; an interrupted one resumes from its checkpoint. When the worker dies, the trial
 * is retried once in conservative mode (NCHW layout, oneDNN's AVX2 kernels) from its last checkpoint; when that
 * dies too, the trial is recorded as failed with both crashes' frames. A Java failure in the worker fails the task,
 * so that Spark retries it.
 */
public final class TrialTask implements Function<TrialSegment, TrialOutcome> {
    private final String resultsRoot;

    public TrialTask(Path resultsRoot) {
        this.resultsRoot = resultsRoot.toString();
    }

    @Override
    public TrialOutcome call(TrialSegment segment) throws InterruptedException {
        TrialConfig trial = segment.trial();
        ResultsLayout layout = new ResultsLayout(Path.of(resultsRoot));
        Path dir = layout.trialDir(trial.id());
        if (TrialOutcome.exists(dir)) { // an earlier attempt got this far (or the trial is over)
            TrialOutcome earlier = TrialOutcome.read(dir);
            if (!earlier.paused() || earlier.epochsDone() >= segment.stopAfter()) {
                return earlier;
            }
        }
        TaskContext task = TaskContext.get();
        WorkerRequest request = new WorkerRequest(placeOnAssignedResources(trial), dir.toString(), segment.stopAfter(),
                task == null ? 0 : task.attemptNumber(), false, null);
        TrialWorkers.Result result = TrialWorkers.run(request, System.out);
        if (result instanceof TrialWorkers.Died first) {
            String crash = crashed(first.exit(), dir);
            String note = "the process training this trial died (" + crash + "); retried in conservative mode ("
                    + "NCHW layout, ONEDNN_MAX_CPU_ISA=" + WorkerRequest.SAFE_ISA + ") from its last checkpoint";
            System.out.println("[" + trial.id() + "] " + note);
            result = TrialWorkers.run(request.conservativeRetry(note), System.out);
            if (result instanceof TrialWorkers.Died second) {
                TrialOutcome failed = TrialOutcome.failed(trial.id(), "native crash, twice: " + crash
                        + "; then in conservative mode: " + crashed(second.exit(), dir), TrialAttempt.Host.NAME,
                        request.trial().runtime().device(), System.currentTimeMillis());
                failed.write(dir);
                return failed;
            }
        }
        if (result instanceof TrialWorkers.Failed f) {
            throw new IllegalStateException("trial " + trial.id() + " failed: " + f.message());
        }
        return TrialOutcome.read(dir);
    }

    /** How the worker died, its crash log moved into the trial's directory where users look for it. */
    private static String crashed(WatchedProcess.Exit exit, Path trialDir) {
        if (exit.crash() == null) {
            return exit.describe();
        }
        CrashLog moved = exit.crash().moveTo(trialDir);
        try {
            java.nio.file.Files.deleteIfExists(exit.crash().file().getParent()); // the dead worker's own directory
        } catch (java.io.IOException e) {
            // something else is in it: leave it
        }
        return moved.summary();
    }

    /** The GPU Spark assigned to this task (spark.task.resource.gpu.amount), or the CPU with spark.task.cpus threads. */
    static TrialConfig placeOnAssignedResources(TrialConfig trial) {
        TaskContext task = TaskContext.get();
        if (task == null) {
            return trial;
        }
        TrialConfig.Runtime r = trial.runtime();
        int threads = r.threads() > 0 ? r.threads() : task.cpus();
        ResourceInformation gpu = task.resources().get("gpu").getOrElse(() -> null);
        String device = gpu != null && gpu.addresses().length > 0 ? "gpu:" + gpu.addresses()[0] : r.device();
        return trial.withRuntime(r.withDevice(device, threads));
    }
}
