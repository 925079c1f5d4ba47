package dev.augsweep.sweep;

import dev.augsweep.config.TrialConfig;
import java.io.Serializable;

/** A unit of a sweep: train {@code trial} (resuming from its checkpoint) up to epoch {@code stopAfter}. */
public record TrialSegment(TrialConfig trial, int stopAfter) implements Serializable {
    public static TrialSegment whole(TrialConfig trial) {
        return new TrialSegment(trial, trial.epochs());
    }
}
