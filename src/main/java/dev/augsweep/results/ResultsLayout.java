package dev.augsweep.results;

import dev.augsweep.storage.StorePath;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * Where a sweep keeps things under its results directory (a location every executor can reach: a shared disk, HDFS,
 * an object store; see {@link dev.augsweep.storage.Storage}): the Delta tables, and per trial its checkpoint,
 * result.json and outcome.json.
 */
public record ResultsLayout(StorePath root) implements Serializable {
    public ResultsLayout(Path root) {
        this(StorePath.local(root));
    }

    /** The Delta table of that name (trials, epochs, concentration). */
    public StorePath table(String name) {
        return root.resolve("tables").resolve(name);
    }

    public StorePath trialsTable() {
        return table("trials");
    }

    public StorePath epochsTable() {
        return table("epochs");
    }

    /** The layout a trial's directory (root/trials/ID) belongs to. */
    public static ResultsLayout ofTrialDir(StorePath trialDir) {
        return new ResultsLayout(trialDir.parent().parent());
    }

    /** Untrained controls shared by the trials of one seed's network (see eval.UntrainedControl). */
    public StorePath controlsDir() {
        return root.resolve("controls");
    }

    public StorePath trialsDir() {
        return root.resolve("trials");
    }

    /** Trial ids are made of [a-z0-9_-] only, so this never leaves the results directory. */
    public StorePath trialDir(String trialId) {
        if (!trialId.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("trial id '" + trialId + "' is not a safe directory name");
        }
        return trialsDir().resolve(trialId);
    }

    /** A halving schedule's decisions so far, so that a restarted driver continues where it stopped. */
    public StorePath scheduleLog() {
        return root.resolve("schedule.json");
    }

    /** Decisions made since {@link #scheduleLog()} was last rewritten, one file per batch (see DecisionLog). */
    public StorePath scheduleLogTail() {
        return root.resolve("schedule-log");
    }

    public StorePath jobMarker() {
        return root.resolve("sweep.json");
    }

    public StorePath driverLock() {
        return root.resolve(".driver.lock");
    }

    /** On stores without file locks: the lease's generations, each a driver's id and heartbeat (see DriverLease). */
    public StorePath driverLease() {
        return root.resolve(".driver-lease");
    }
}
