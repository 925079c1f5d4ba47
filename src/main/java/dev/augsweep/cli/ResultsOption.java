package dev.augsweep.cli;

import dev.augsweep.report.ResultsViews;
import dev.augsweep.storage.StorePath;
import picocli.CommandLine.Option;

/** --results DIR, shared by the commands that read a sweep's results. */
final class ResultsOption {
    @Option(names = "--results", paramLabel = "DIR",
            description = "Results directory of a sweep: a path, a URI such as hdfs://namenode:8020/sweeps/x, or a "
                    + "snapshot directory (default: the most recent one under ./results)")
    String results;

    StorePath resolve() {
        return results != null ? StorePath.of(results) : ResultsViews.defaultResults();
    }
}
