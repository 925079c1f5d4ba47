package dev.augsweep.cli;

import dev.augsweep.report.ResultsViews;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --results DIR, shared by the commands that read a sweep's results. */
final class ResultsOption {
    @Option(names = "--results", paramLabel = "DIR",
            description = "Results directory of a sweep (default: the most recent one under ./results)")
    Path results;

    Path resolve() {
        return results != null ? results : ResultsViews.defaultResults();
    }
}
