package dev.augsweep.sweep;

import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.config.TrialConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
        checkData(job);
        return SweepDriver.run(job.name(), job.jobFile(), options,
                (spark, layout) -> new TrialWorkload(job, options.retryFailed(), spark, layout, out),
                TrialWorkload::summary);
    }

    private static void checkData(SweepJob job) {
        List<String> problems = new ArrayList<>();
        job.trials().stream().map(TrialConfig::runtime).distinct().forEach(r -> {
            if (!Files.exists(Path.of(r.data())) && !r.download()) {
                problems.add("data = " + r.data() + " does not exist; set data=<path to the dataset's archive> "
                        + "(on a cluster, a path every executor can read) or download=true");
            }
        });
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(job.jobFile(), problems.stream().distinct().toList());
        }
    }
}
