package dev.augsweep.cli;

import dev.augsweep.sweep.SweepJob;
import dev.augsweep.sweep.SweepJobs;
import dev.augsweep.sweep.SweepRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code augsweep run}: a whole sweep as a Spark application, locally or under spark-submit. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a sweep: one Spark task per trial, results in Delta tables under --results.",
                "Running again with the same --results skips finished trials and resumes unfinished ones.",
                "Example: augsweep run jobs/smoke.conf",
                "         augsweep run jobs/paper-augmentations.conf --master spark://host:7077 epochs=100"})
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "JOB.conf", description = "Sweep definition (see jobs/)")
    Path job;

    @Parameters(index = "1..*", paramLabel = "key=value", description = "Trial settings applied to every trial, "
            + "e.g. epochs=1 width=0.25 (the keys of augsweep train)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--results", paramLabel = "DIR", description = "Results directory (default: results/<job name>); "
            + "on a cluster a path every executor can reach")
    Path results;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else "
            + "local[<cores>,2]: this machine, one trial at a time, a failed task retried once)")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Extra Spark setting, repeatable, e.g. "
            + "--conf spark.task.resource.gpu.amount=1")
    List<String> sparkConf = new ArrayList<>();

    @Option(names = "--retry-failed", description = "Run trials recorded as failed again")
    boolean retryFailed;

    @Option(names = "--max-trials", paramLabel = "N", defaultValue = "1000",
            description = "Refuse grids larger than this (default ${DEFAULT-VALUE}), to catch a mistyped axis")
    int maxTrials;

    @Override
    public Integer call() {
        SweepJob sweep = SweepJobs.load(job, overrides, maxTrials);
        Map<String, String> settings = new LinkedHashMap<>();
        for (String kv : sparkConf) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--conf expects KEY=VALUE, got '" + kv + "'");
            }
            settings.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        Path dir = results != null ? results : Path.of("results", sweep.name());
        SweepRunner.Summary s = new SweepRunner(System.out)
                .run(sweep, new SweepRunner.Options(dir, master, settings, retryFailed));
        System.out.printf("[sweep] %s: %d of %d trials finished, %d failed; tables: %s%n", sweep.name(), s.finished(),
                s.total(), s.failed(), dir.resolve("tables"));
        return s.failed() > 0 ? 3 : 0;
    }
}
