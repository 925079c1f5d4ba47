package dev.augsweep.cli;

import dev.augsweep.config.TrialConfig;
import dev.augsweep.device.GpuInventory;
import dev.augsweep.device.TaskGpu;
import dev.augsweep.driver.SweepDriver;
import dev.augsweep.job.SweepJob;
import dev.augsweep.numerics.TrialsPerGpu;
import dev.augsweep.storage.StorePath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Where a job's work runs and records its results: shared by the commands that drive Spark jobs. */
final class DriverOptions {
    @Option(names = "--results", paramLabel = "DIR", description = "Results directory (default: results/<job name>); "
            + "on a cluster one every executor can reach: a shared path, or a URI such as hdfs://namenode:8020/sweeps/x "
            + "or s3a://bucket/sweeps/x")
    String results;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else "
            + "local mode on this machine: one trial per core, or one per GPU where it has GPUs; a failed task "
            + "retried once)")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Extra Spark setting, repeatable, e.g. "
            + "--conf spark.task.cpus=2 (on a cluster: spark.task.resource.gpu.amount=1 gives each trial a GPU)")
    List<String> sparkConf = new ArrayList<>();

    @Option(names = "--max-trials", paramLabel = "N", defaultValue = "1000",
            description = "Refuse grids larger than this (default ${DEFAULT-VALUE}), to catch a mistyped axis")
    int maxTrials;

    SweepDriver.Options options(SweepJob job, boolean retryFailed, picocli.CommandLine command) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String kv : sparkConf) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new ParameterException(command, "--conf expects KEY=VALUE, got '" + kv + "'");
            }
            settings.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        if ("auto".equals(settings.get(TaskGpu.TRIALS_PER_GPU))) {
            double widest = job.trials().stream().mapToDouble(TrialConfig::width).max().orElse(1);
            int n = TrialsPerGpu.auto(widest, Runtime.getRuntime().availableProcessors(),
                    GpuInventory.localAddresses().size());
            settings.put(TaskGpu.TRIALS_PER_GPU, Integer.toString(n));
            System.out.println("augsweep: " + TaskGpu.TRIALS_PER_GPU + "=auto: " + n + " trial(s) per GPU (widest "
                    + "network " + widest + ", " + Runtime.getRuntime().availableProcessors() + " cores)");
        }
        return new SweepDriver.Options(results(job), master, settings, retryFailed);
    }

    StorePath results(SweepJob job) {
        return StorePath.of(results != null ? results : "results/" + job.name());
    }
}
