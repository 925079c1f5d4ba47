package dev.augsweep.sweep;

import dev.augsweep.config.TrialConfig;
import java.util.List;

/** A validated sweep: its name, the job file it came from, and its trials in grid order (ids unique). */
public record SweepJob(String name, String jobFile, List<TrialConfig> trials) {
}
