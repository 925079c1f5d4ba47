package dev.augsweep.sweep;

import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.data.CifarData;
import dev.augsweep.data.CifarSource;
import dev.augsweep.driver.DriverLease;
import dev.augsweep.driver.DriverLock;
import dev.augsweep.eval.UntrainedControl;
import dev.augsweep.job.SweepJobs;
import dev.augsweep.report.CsvTables;
import dev.augsweep.report.ResultsViews;
import dev.augsweep.results.ResultsLayout;
import dev.augsweep.results.ResultsStore;
import dev.augsweep.storage.Storage;
import dev.augsweep.storage.StorePath;
import dev.augsweep.train.TrialTrainer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Cell ids, untrained controls and precision (fp32 then) for trials recorded before augsweep had them. Each such trial's settings are
 * found again by expanding its job file (its id must still come out of it), its control is computed (forward
 * passes over its initial network, shared by every trial of one seed), and its rows are completed in place: in the
 * Delta tables (by MERGE, under the results directory's lock) or in a CSV snapshot (rewritten). Epoch-0 rows are
 * added. Nothing recorded is changed, only what is missing filled in.
 */
public final class ControlBackfill {
    /** What a backfill did: rows completed, and trials whose settings could not be found again. */
    public record Summary(int completed, List<String> notFound) {
    }

    private static final StructType UPDATES = new StructType()
            .add("trial_id", DataTypes.StringType).add("u_cell_id", DataTypes.StringType)
            .add("u_settings", DataTypes.StringType).add("u_knn_top1_init", DataTypes.DoubleType)
            .add("u_precision", DataTypes.StringType);

    private final PrintStream out;

    public ControlBackfill(PrintStream out) {
        this.out = out;
    }

    /** @param overrides trial settings for where the controls run (threads, device, data), not what they are */
    public Summary run(StorePath results, List<String> overrides) {
        return run(results, overrides, Map.of());
    }

    /** @param settings Spark settings (--conf): the store's, as spark.hadoop.* */
    public Summary run(StorePath results, List<String> overrides, Map<String, String> settings) {
        ResultsViews opened = ResultsViews.open(List.of(results), settings);
        boolean delta = Storage.isDirectory(new ResultsLayout(results).trialsTable().resolve("_delta_log"));
        boolean unfenced = Boolean.parseBoolean(settings.getOrDefault(DriverLease.UNFENCED, "false"));
        try (ResultsViews views = opened) {
            SparkSession spark = views.spark();
            List<Row> missing = views.trials().where("knn_top1_init IS NULL OR cell_id IS NULL OR precision IS NULL")
                    .where("status <> 'failed'").select("trial_id", "job_file").collectAsList();
            Map<String, TrialConfig> configs = new LinkedHashMap<>();
            List<String> notFound = new ArrayList<>();
            find(missing, overrides, configs, notFound);
            List<Row> updates = new ArrayList<>();
            UntrainedControl control = new UntrainedControl(delta ? new ResultsLayout(results).controlsDir() : null);
            Map<String, CifarData> data = new HashMap<>();
            int done = 0;
            for (TrialConfig t : configs.values()) {
                CifarData d = data.computeIfAbsent(t.dataset() + "|" + t.runtime().data(),
                        k -> CifarSource.load(t.runtime().data(), t.dataset(), t.runtime().download()));
                long start = System.nanoTime();
                double top1 = TrialTrainer.untrainedControl(t, d, control);
                out.printf(Locale.ROOT, "[controls] %d/%d %s: untrained kNN top-1 %.2f%% (%.1f s)%n", ++done,
                        configs.size(), t.id(), 100 * top1, (System.nanoTime() - start) / 1e9);
                updates.add(RowFactory.create(t.id(), t.cellId(), t.cellSettingsJson(), 100 * top1,
                        t.precision().key()));
            }
            Dataset<Row> u = spark.createDataFrame(updates, UPDATES);
            if (delta) {
                writeDelta(spark, results, u, unfenced);
            } else {
                writeSnapshot(views, results.toLocalPath(), u);
            }
            return new Summary(updates.size(), notFound);
        }
    }

    /** Each trial's settings from its job file, matched by id (a job changed since gives other ids). */
    private static void find(List<Row> missing, List<String> overrides, Map<String, TrialConfig> configs,
                             List<String> notFound) {
        Map<String, List<String>> byJob = new LinkedHashMap<>();
        missing.forEach(r -> byJob.computeIfAbsent(r.getString(1), j -> new ArrayList<>()).add(r.getString(0)));
        byJob.forEach((jobFile, ids) -> {
            Map<String, TrialConfig> expanded = new HashMap<>();
            if (jobFile != null && Files.isRegularFile(Path.of(jobFile))) {
                SweepJobs.load(Path.of(jobFile), overrides, Integer.MAX_VALUE).trials()
                        .forEach(t -> expanded.put(t.id(), t));
            }
            for (String id : ids) {
                if (expanded.containsKey(id)) {
                    configs.put(id, expanded.get(id));
                } else {
                    notFound.add(id + " (job " + jobFile + ")");
                }
            }
        });
    }

    private static void writeDelta(SparkSession spark, StorePath results, Dataset<Row> u, boolean unfenced) {
        ResultsLayout layout = new ResultsLayout(results);
        try (DriverLock lock = DriverLock.acquire(layout, unfenced)) {
            new ResultsStore(spark, layout).open(); // adds the columns an older version lacked
            u.createOrReplaceTempView("backfill");
            spark.sql("MERGE INTO delta.`" + layout.trialsTable() + "` t USING backfill u ON t.trial_id = u.trial_id "
                    + "WHEN MATCHED THEN UPDATE SET t.cell_id = coalesce(t.cell_id, u.u_cell_id), "
                    + "t.settings = coalesce(t.settings, u.u_settings), "
                    + "t.knn_top1_init = coalesce(t.knn_top1_init, u.u_knn_top1_init), "
                    + "t.precision = coalesce(t.precision, u.u_precision)");
            spark.sql("MERGE INTO delta.`" + layout.epochsTable() + "` e USING backfill u ON e.trial_id = u.trial_id "
                    + "WHEN MATCHED AND e.cell_id IS NULL THEN UPDATE SET e.cell_id = u.u_cell_id");
            epochZero(u).createOrReplaceTempView("backfill_epochs");
            spark.sql("MERGE INTO delta.`" + layout.epochsTable() + "` e USING backfill_epochs z "
                    + "ON e.trial_id = z.trial_id AND e.epoch = 0 WHEN NOT MATCHED THEN INSERT *");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeSnapshot(ResultsViews views, Path results, Dataset<Row> u) {
        Dataset<Row> trials = views.trials().join(u, views.trials().col("trial_id").equalTo(u.col("trial_id")), "left")
                .drop(u.col("trial_id"))
                .withColumn("cell_id", functions.coalesce(functions.col("cell_id"), functions.col("u_cell_id")))
                .withColumn("settings", functions.coalesce(functions.col("settings"), functions.col("u_settings")))
                .withColumn("knn_top1_init", functions.coalesce(functions.col("knn_top1_init"),
                        functions.col("u_knn_top1_init")))
                .withColumn("precision", functions.coalesce(functions.col("precision"), functions.col("u_precision")));
        Dataset<Row> epochs = views.epochs().join(u, views.epochs().col("trial_id").equalTo(u.col("trial_id")), "left")
                .drop(u.col("trial_id"))
                .withColumn("cell_id", functions.coalesce(functions.col("cell_id"), functions.col("u_cell_id")));
        Dataset<Row> zero = epochZero(u).join(views.epochs().where("epoch = 0").select("trial_id"), "trial_id",
                "left_anti");
        // Both are computed before either file is written: the views read the files being replaced.
        Dataset<Row> allEpochs = CsvTables.withSchema(epochs, ResultsStore.EPOCHS)
                .unionByName(CsvTables.withSchema(zero, ResultsStore.EPOCHS)).localCheckpoint();
        Dataset<Row> allTrials = CsvTables.withSchema(trials, ResultsStore.TRIALS).localCheckpoint();
        CsvTables.write(allTrials, ResultsStore.TRIALS, results, "trials");
        CsvTables.write(allEpochs, ResultsStore.EPOCHS, results, "epochs");
    }

    /** The epoch-0 row of each updated trial: its untrained control. */
    private static Dataset<Row> epochZero(Dataset<Row> u) {
        return CsvTables.withSchema(u.select(functions.col("trial_id"), functions.col("u_cell_id").as("cell_id"),
                functions.lit(0).as("epoch"), functions.col("u_knn_top1_init").as("knn_top1"),
                functions.lit(false).as("resumed")), ResultsStore.EPOCHS);
    }

    /** The error for a results directory with trials whose settings are gone. */
    public static InvalidConfigException notFound(StorePath results, List<String> ids) {
        return new InvalidConfigException(results.toString(), List.of(ids.size() + " trial(s) could not be found again "
                + "in their job files, so their controls stay empty: " + String.join(", ", ids.subList(0,
                Math.min(5, ids.size()))) + (ids.size() > 5 ? ", ..." : "") + "; run from the directory the sweep "
                + "ran in (job_file is relative to it), with the job file as it was"));
    }
}
