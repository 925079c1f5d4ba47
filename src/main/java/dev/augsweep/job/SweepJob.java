package dev.augsweep.job;

import dev.augsweep.config.TrialConfig;
import dev.augsweep.schedule.Halving;
import dev.augsweep.search.Sample;
import dev.augsweep.search.SearchSpace;
import java.util.List;
import java.util.Map;

/**
 * A validated sweep: its name, the job file it came from, its trials in grid order (ids unique), the grid entry
 * each came from, its schedule (null: every trial trains to its end), and its search (null: a grid only) with the
 * sample each trial trains, and what a user should know before it runs (values of an axis that mean the same trial).
 */
public record SweepJob(String name, String jobFile, List<TrialConfig> trials, Map<String, Integer> gridOf,
                       Halving schedule, SearchSpace search, Map<String, Sample> sampleOf, List<String> warnings) {
    /** The trial's sample, or null outside a search. */
    public Sample sampleOf(String trialId) {
        return sampleOf.get(trialId);
    }
}
