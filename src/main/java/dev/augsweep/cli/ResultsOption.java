package dev.augsweep.cli;

import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.report.ResultsViews;
import dev.augsweep.storage.StorePath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** --results DIR, shared by the commands that read a sweep's results; the readers take it more than once. */
final class ResultsOption {
    @Option(names = "--results", paramLabel = "DIR",
            description = "Results directory of a sweep: a path, a URI such as hdfs://namenode:8020/sweeps/x, or a "
                    + "snapshot directory (default: the most recent one under ./results). Readers (tables, sql, plots, "
                    + "export) take it more than once and read the directories as one, e.g. a job run in parts")
    List<String> results = new ArrayList<>();

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Spark setting, repeatable: the store's "
            + "settings as spark.hadoop.*, e.g. --conf spark.hadoop.fs.s3a.endpoint=http://minio:9000 (docs/clusters.md)")
    List<String> sparkConf = new ArrayList<>();

    /** The --conf settings. */
    Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String kv : sparkConf) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new InvalidConfigException("--conf", List.of("--conf expects KEY=VALUE, got '" + kv + "'"));
            }
            settings.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return settings;
    }

    /** The results named (or the default), opened for reading with the --conf settings. */
    ResultsViews open() {
        List<StorePath> dirs = resolveAll();
        try (SlowStep s = SlowStep.start("starting Spark to read " + String.join(", ",
                dirs.stream().map(StorePath::toString).toList()))) {
            return ResultsViews.open(dirs, settings());
        }
    }

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
