package dev.augsweep.sweep;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The driver's Spark session: Delta enabled, and on this machine (no --master, no spark-submit) local mode with
 * one trial at a time using every core, and a retry for a failed task.
 */
public final class SparkSessions {
    private SparkSessions() {
    }

    public static SparkSession create(String appName, String master, Map<String, String> settings) {
        SparkConf conf = new SparkConf(true) // picks up spark-submit's spark.* properties
                .setAppName(appName)
                .set("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .set("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .set("spark.ui.showConsoleProgress", "false")
                // The results tables hold one row per trial: Delta's defaults (50 snapshot partitions, per-file
                // statistics) are sized for big tables and made each commit cost seconds here.
                .setIfMissing("spark.sql.shuffle.partitions", "4")
                .setIfMissing("spark.databricks.delta.snapshotPartitions", "1")
                .setIfMissing("spark.databricks.delta.stats.collect", "false");
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster(localMaster());
        }
        if (conf.get("spark.master").startsWith("local")) {
            // Nothing listens beyond loopback unless the user asks for it.
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.task.cpus", Integer.toString(localSlots(conf.get("spark.master"))));
        }
        settings.forEach(conf::set);
        return SparkSession.builder().config(conf).getOrCreate();
    }

    /** local[cores, 2]: every core, and a failed task is tried once more (local[N] alone never retries). */
    static String localMaster() {
        return "local[" + Runtime.getRuntime().availableProcessors() + ",2]";
    }

    /** One trial at a time by default: it gets all local cores as libtorch threads. */
    private static int localSlots(String master) {
        int open = master.indexOf('[');
        if (open < 0) {
            return 1;
        }
        String inside = master.substring(open + 1, master.length() - 1).split(",")[0].trim();
        return inside.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(inside);
    }
}
