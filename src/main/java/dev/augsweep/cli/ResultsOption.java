package dev.augsweep.cli;

import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.report.ResultsViews;
import dev.augsweep.storage.StorePath;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** --results DIR, shared by the commands that read a sweep's results; the readers take it more than once. */
final class ResultsOption {
    @Option(names = "--results", paramLabel = "DIR",
            description = "Results directory of a sweep: a path, a URI such as hdfs://namenode:8020/sweeps/x, or a "
                    + "snapshot directory (default: the most recent one under ./results). Readers (tables, sql, plots, "
                    + "export) take it more than once and read the directories as one, e.g. a job run in parts")
    List<String> results = new ArrayList<>();

    /** Every directory named, or the default one (said on stderr: which one was read should never be a guess). */
    List<StorePath> resolveAll() {
        if (results.isEmpty()) {
            StorePath chosen = ResultsViews.defaultResults();
            if (!said) {
                System.err.println("reading " + chosen + " (" + (chosen.toString().endsWith(ResultsViews.SHIPPED
                        .toString()) ? "no results under ./results yet: the shipped CPU-scale ones"
                        : "the most recent results under ./results") + "; choose with --results DIR)");
                said = true;
            }
            return List.of(chosen);
        }
        return results.stream().map(StorePath::of).toList();
    }

    private boolean said;

    /** The one directory named, for a command that writes there. */
    StorePath resolve(String command) {
        if (results.size() > 1) {
            throw new InvalidConfigException("--results", List.of(command + " works on one results directory at a "
                    + "time, and got " + results.size() + " (" + String.join(", ", results) + "): run it once for each"));
        }
        return resolveAll().get(0);
    }
}
