package dev.augsweep.sweep;

import java.nio.file.Path;

/**
 * Where a sweep keeps things under its results directory (a path every executor can reach on a cluster):
 * the Delta tables, and per trial its checkpoint, result.json and outcome.json.
 */
public record ResultsLayout(Path root) {
    public ResultsLayout {
        root = root.toAbsolutePath().normalize();
    }

    /** The Delta table of that name (trials, epochs, concentration). */
    public Path table(String name) {
        return root.resolve("tables").resolve(name);
    }

    public Path trialsTable() {
        return table("trials");
    }

    public Path epochsTable() {
        return table("epochs");
    }

    /** The layout a trial's directory (root/trials/ID) belongs to. */
    public static ResultsLayout ofTrialDir(Path trialDir) {
        return new ResultsLayout(trialDir.toAbsolutePath().normalize().getParent().getParent());
    }

    /** Untrained controls shared by the trials of one seed's network (see eval.UntrainedControl). */
    public Path controlsDir() {
        return root.resolve("controls");
    }

    public Path trialsDir() {
        return root.resolve("trials");
    }

    /** Trial ids are made of [a-z0-9_-] only, so this never leaves the results directory. */
    public Path trialDir(String trialId) {
        if (!trialId.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("trial id '" + trialId + "' is not a safe directory name");
        }
        return trialsDir().resolve(trialId);
    }

    /** A halving schedule's decisions so far, so that a restarted driver continues where it stopped. */
    public Path scheduleLog() {
        return root.resolve("schedule.json");
    }

    public Path jobMarker() {
        return root.resolve("sweep.json");
    }

    public Path driverLock() {
        return root.resolve(".driver.lock");
    }
}
