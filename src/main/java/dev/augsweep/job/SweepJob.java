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
 * sample each trial trains, what a user should know before it runs (values of an axis that mean the same trial), and
 * how a sample becomes trials (null outside a search; a tpe search's trials start empty and come from it).
 */
public record SweepJob(String name, String jobFile, List<TrialConfig> trials, Map<String, Integer> gridOf,
                       Halving schedule, SearchSpace search, Map<String, Sample> sampleOf, List<String> warnings,
                       SampleTrials sampleTrials) {
    /** The trials it will have run: a tpe search proposes its samples as it goes, each with the grid's trials. */
    public int total() {
        return search != null && search.adaptive() != null ? search.samples() * sampleTrials.perSample()
                : trials.size();
    }

    /** The trial's sample, or null outside a search. */
    public Sample sampleOf(String trialId) {
        return sampleOf.get(trialId);
    }
}
