package dev.augsweep.sweep;

import dev.augsweep.config.TrialConfig;
import dev.augsweep.device.TaskGpu;
import dev.augsweep.driver.HostName;
import dev.augsweep.jvm.WatchedProcess;
import dev.augsweep.results.ResultsLayout;
import dev.augsweep.results.TrialOutcome;
import dev.augsweep.storage.Storage;
import dev.augsweep.storage.StorePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;

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
    private final ResultsLayout layout;
    private final Map<String, String> storage;

    /** @param storage the driver's Hadoop settings for the results store (Storage.settings()) */
    public TrialTask(ResultsLayout layout, Map<String, String> storage) {
        this.layout = layout;
        this.storage = Map.copyOf(storage);
    }

    @Override
    public TrialOutcome call(TrialSegment segment) throws InterruptedException {
        Storage.configure(storage);
        TrialConfig trial = segment.trial();
        StorePath dir = layout.trialDir(trial.id());
        if (TrialOutcome.exists(dir)) { // an earlier attempt got this far (or the trial is over)
            TrialOutcome earlier = TrialOutcome.read(dir);
            if (!earlier.paused() || earlier.epochsDone() >= segment.stopAfter()) {
                return earlier;
            }
        }
        TaskContext task = TaskContext.get();
        try (TaskGpu resources = TaskGpu.forTask(task, trial.runtime().threads())) {
            return train(segment, task, resources, dir);
        }
    }

    private TrialOutcome train(TrialSegment segment, TaskContext task, TaskGpu resources, StorePath dir)
            throws InterruptedException {
        TrialConfig trial = segment.trial();
        if (resources.gpu() != null) {
            System.out.println("[" + trial.id() + "] assigned GPU " + resources.gpu().address() + ": its worker runs "
                    + "with " + resources.gpu().environment());
        }
        TrialConfig placed = trial.withRuntime(trial.runtime().withDevice(trial.runtime().device(), resources.threads()));
        WorkerRequest request = new WorkerRequest(placed, dir, segment.stopAfter(), task.attemptNumber(), false, null,
                resources.gpu(), storage);
        TrialWorkers.Result result = TrialWorkers.run(request, System.out);
        if (result instanceof TrialWorkers.Died first) {
            String crash = crashed(first.exit(), dir);
            String note = "the process training this trial died (" + crash + "); retried in conservative mode ("
                    + "NCHW layout, ONEDNN_MAX_CPU_ISA=" + WorkerRequest.SAFE_ISA + ") from its last checkpoint";
            System.out.println("[" + trial.id() + "] " + note);
            result = TrialWorkers.run(request.conservativeRetry(note), System.out);
            if (result instanceof TrialWorkers.Died second) {
                TrialOutcome failed = TrialOutcome.failed(trial.id(), "native crash, twice: " + crash
                        + "; then in conservative mode: " + crashed(second.exit(), dir), HostName.NAME,
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

    /**
     * How the worker died, its crash log moved into the trial's directory where users look for it (the JVM wrote
     * it on a local disk: a JVM that is dying cannot write to HDFS or an object store).
     */
    private static String crashed(WatchedProcess.Exit exit, StorePath trialDir) {
        if (exit.crash() == null) {
            return exit.describe();
        }
        Path local = exit.crash().file();
        StorePath moved = trialDir.resolve(local.getFileName().toString());
        Storage.moveFromLocal(local, moved);
        try {
            Files.deleteIfExists(local.getParent()); // the dead worker's own directory
        } catch (IOException e) {
            // something else is in it: leave it
        }
        return exit.crash().summary(moved.toString());
    }
}
