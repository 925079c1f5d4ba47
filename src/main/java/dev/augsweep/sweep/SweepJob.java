package dev.augsweep.sweep;

import dev.augsweep.config.TrialConfig;
import dev.augsweep.schedule.Halving;
import java.util.List;
import java.util.Map;

/**
 * A validated sweep: its name, the job file it came from, its trials in grid order (ids unique), the grid entry
 * each came from, and its schedule (null: every trial trains to its end).
 */
public record SweepJob(String name, String jobFile, List<TrialConfig> trials, Map<String, Integer> gridOf,
                       Halving schedule) {
}
