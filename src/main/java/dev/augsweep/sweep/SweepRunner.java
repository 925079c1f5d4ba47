package dev.augsweep.sweep;

import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.data.CifarFormatException;
import dev.augsweep.data.DataLocation;
import dev.augsweep.driver.SweepDriver;
import dev.augsweep.job.SweepJob;
import dev.augsweep.results.ResultsLayout;
import dev.augsweep.results.TrialOutcome;
import dev.augsweep.storage.Storage;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** A sweep's trials run by the {@link SweepDriver}: what `augsweep run` does. */
public final class SweepRunner {
    /** What a run leaves: counts, and the summary table it printed. */
    public record Summary(int total, int finished, int failed, int stopped, int ranThisRun, String table) {
    }

    private final PrintStream out;

    public SweepRunner(PrintStream out) {
        this.out = out;
    }

    public Summary run(SweepJob job, SweepDriver.Options options) {
        return run(job, options, (LiveSweep) null);
    }

    /** @param live told what happens as it happens (what the dashboard shows), or null */
    public Summary run(SweepJob job, SweepDriver.Options options, LiveSweep live) {
        checkData(job);
        return run(job, options, layout -> new TrialTask(layout, Storage.settings()), live);
    }

    /** The sweep with another task than training ({@link SimulatedTrials}: the driver's scale tests, the search benchmark). */
    public Summary run(SweepJob job, SweepDriver.Options options,
                Function<ResultsLayout, org.apache.spark.api.java.function.Function<TrialSegment, TrialOutcome>> task) {
        return run(job, options, task, null);
    }

    Summary run(SweepJob job, SweepDriver.Options options,
                Function<ResultsLayout, org.apache.spark.api.java.function.Function<TrialSegment, TrialOutcome>> task,
                LiveSweep live) {
        return SweepDriver.run(job.name(), job.jobFile(), options,
                (spark, layout, guard) -> new TrialWorkload(job, options.retryFailed(), spark, layout, guard, out,
                        task.apply(layout), live),
                TrialWorkload::summary);
    }

    /**
     * Every trial's data is there before any worker starts: fetched now where download allows (once, here, rather
     * than by the first workers at once), or one clear error, offline included.
     */
    private static void checkData(SweepJob job) {
        List<String> problems = new ArrayList<>();
        Set<String> checked = new HashSet<>();
        List<TrialConfig> trials = !job.trials().isEmpty() || job.sampleTrials() == null ? job.trials()
                : job.sampleTrials().of(job.search().first(1).get(0)).stream().map(x -> x.trial()).toList();
        for (TrialConfig t : trials) { // a tpe search's trials come later; their first sample's say where the data is
            TrialConfig.Runtime r = t.runtime();
            if (checked.add(t.dataset() + "|" + r.data() + "|" + r.download())) {
                try {
                    DataLocation.official(t.dataset()).resolve(r.data(), r.download());
                } catch (CifarFormatException e) {
                    problems.add(e.getMessage() + " (on a cluster, data must be a path every executor can read)");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(job.jobFile(), problems);
        }
    }
}
