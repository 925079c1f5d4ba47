package dev.augsweep.results;

import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.device.GpuInventory;
import dev.augsweep.device.TaskGpu;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.internal.config.ConfigEntry;
import org.apache.spark.sql.SparkSession;

/**
 * The driver's Spark session: Delta enabled, and on this machine (no --master, no spark-submit) local mode with one
 * trial per core, each training on one thread, a slot kept for results commits, and a retry for a failed task. One
 * trial per core completes more trials per hour than one trial at a time on every core: measured here, a CPU-scale
 * SimCLR epoch trains at 452 images/s on 2 threads and 253 on 1 (width 1/8), 202 and 131 (width 1/4), so two trials
 * at once train 12% and 30% more images per second. {@code --conf spark.task.cpus=<cores>} runs one trial at a
 * time. On a machine with GPUs ({@link GpuInventory}) local mode runs one trial per GPU instead.
 */
public final class SparkSessions {
    private SparkSessions() {
    }

    public static SparkSession create(String appName, String master, Map<String, String> settings) {
        refuseInvalid(settings);
        SparkConf conf = new SparkConf(true) // picks up spark-submit's spark.* properties
                .setAppName(appName)
                .set("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .set("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .set("spark.ui.showConsoleProgress", "false")
                // The results tables hold one row per trial: Delta's defaults (50 snapshot partitions, per-file
                // statistics) are sized for big tables and made each commit cost seconds here.
                .setIfMissing("spark.sql.shuffle.partitions", "4")
                .setIfMissing("spark.databricks.delta.snapshotPartitions", "1")
                .setIfMissing("spark.databricks.delta.stats.collect", "false")
                // Delta's commits on s3a:// by S3's conditional PUT, safe with two writers (Delta's default S3 log
                // store is safe for one driver only; docs/clusters.md, "Results on S3")
                .setIfMissing("spark.delta.logStore.s3a.impl", ConditionalS3LogStore.class.getName())
                // The driver submits every unit's job up front; under FIFO a results commit (a job too) would wait
                // behind all of them, so the tables stayed empty until the sweep's end. FAIR: units run in a pool
                // of their own (FIFO inside it, SweepDriver.UNITS_POOL) and a commit takes the next free slot.
                .setIfMissing("spark.scheduler.mode", "FAIR");
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.set(COMMIT_SLOTS, "1");
            List<String> gpus = GpuInventory.localAddresses();
            if (gpus.isEmpty()) {
                conf.setMaster(localMaster());
            } else {
                // Spark schedules no GPUs in local mode: a task slot per trial the GPUs hold (plus the commit slot),
                // each task takes a place on a GPU from TaskGpu's pool, and the cores are split between the trials.
                int perGpu = trialsPerGpu(settings);
                int slots = gpus.size() * perGpu;
                int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / slots);
                conf.setMaster("local[" + (slots + 1) + ",2]").set(TaskGpu.LOCAL_GPUS, String.join(",", gpus))
                        .set(TaskGpu.LOCAL_THREADS, Integer.toString(threads));
                System.out.println("augsweep: local mode on " + gpus.size() + " GPU(s) " + gpus + ": " + perGpu
                        + " trial(s) per GPU at a time, " + threads + " libtorch thread(s) each");
            }
        }
        if (conf.get("spark.master").startsWith("local")) {
            // Nothing listens beyond loopback unless the user asks for it.
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.task.cpus", "1");
        }
        settings.forEach(conf::set);
        return SparkSession.builder().config(conf).getOrCreate();
    }

    /**
     * Settings Spark knows the type of, checked as Spark will read them, before any of Spark starts: a bad value
     * (--conf spark.task.cpus=abc) is one line naming it, not Spark's failed start in 76 lines.
     */
    static void refuseInvalid(Map<String, String> settings) {
        // Loading these registers Spark's core, UI and SQL entries.
        for (String registry : List.of("org.apache.spark.internal.config.package$",
                "org.apache.spark.internal.config.UI$", "org.apache.spark.sql.internal.SQLConf$")) {
            try {
                Class.forName(registry, true, SparkSessions.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                // another Spark: its entries go unchecked here, and Spark checks them as it starts
            }
        }
        List<String> problems = new java.util.ArrayList<>();
        settings.forEach((key, value) -> {
            ConfigEntry<?> entry = ConfigEntry.findEntry(key);
            if (entry != null) {
                try {
                    entry.valueConverter().apply(value);
                } catch (RuntimeException e) {
                    String why = String.valueOf(e.getMessage()).replaceFirst("^\\[[A-Z_.]+\\] ", "")
                            .replaceFirst(" SQLSTATE: \\w+$", "");
                    problems.add(key + " = '" + value + "' is refused by Spark: " + why + " Fix --conf " + key);
                }
            }
        });
        if (!problems.isEmpty()) {
            throw new InvalidConfigException("--conf", problems);
        }
    }

    /** {@link TaskGpu#TRIALS_PER_GPU} as set (1 where not), refused unless a positive whole number. */
    public static int trialsPerGpu(Map<String, String> settings) {
        String raw = settings.getOrDefault(TaskGpu.TRIALS_PER_GPU, "1").trim();
        try {
            int n = Integer.parseInt(raw);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new InvalidConfigException("--conf " + TaskGpu.TRIALS_PER_GPU, List.of(TaskGpu.TRIALS_PER_GPU + " = '"
                + raw + "' is not a positive whole number or auto: trials that share one GPU, e.g. --conf "
                + TaskGpu.TRIALS_PER_GPU + "=2"));
    }

    /**
     * local[cores + 1, 2]: a task slot per core for the units and one kept free for results commits (SweepDriver
     * runs no more units than the cores hold, see {@link #COMMIT_SLOTS}); a failed task is tried once more (local[N]
     * alone never retries).
     */
    static String localMaster() {
        return "local[" + (Runtime.getRuntime().availableProcessors() + 1) + ",2]";
    }

    /**
     * Task slots the driver keeps free of units, so that a results commit (a few short Spark jobs) never waits for a
     * trial to end: set for the default local master only (a master given by the user is used as given).
     */
    public static final String COMMIT_SLOTS = "spark.augsweep.commitSlots";
}
