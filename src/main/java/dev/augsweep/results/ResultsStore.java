package dev.augsweep.results;

import dev.augsweep.config.TrialConfig;
import dev.augsweep.jvm.TestPause;
import dev.augsweep.search.Sample;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The results store: two Delta tables under the results directory, {@code trials} (one row per finished or failed
 * trial) and {@code epochs} (one row per trial and epoch). Outcomes are recorded in batches, one Delta transaction
 * per table and batch (a commit costs about a second whatever its size). Exactly once by Delta's own transactions,
 * whoever writes: rows go in by a MERGE that inserts only keys the table lacks ({@code trial_id}; {@code trial_id,
 * epoch}), so two drivers on one directory, or a batch committed again, never add a second row. A trial's epochs
 * go first: a trial row, the mark of a recorded trial, never exists without its epochs; epoch rows without their
 * trial row (a commit cut short) are not shown to readers and are merged over when the trial is recorded.
 */
public final class ResultsStore {
    /**
     * 2: dataset, epochs_done, threads and layout; 3: cell_id, settings, knn_top1_init, precision (epochs: cell_id);
     * 4: the device record (gpu, cuda_visible_devices, gpu_name, cuda, cudnn, tf32_conv, device_note, cpu_fallback,
     * cpu_kernels: the CPU kernel guard's verdict); 5: where the trial ran (cpu_model, cpu_cores, epoch_spans: the
     * CPU and kernels of each run of consecutive epochs; epochs: cpu_model, kernels), layout_note (why the layout), trials_on_gpu; 6: a search's sample, sampled (its numeric values by
     * setting), sampled_choices (its words) and search_space (each setting's distribution, JSON); 7: view_upload
     * (fp32, or uint8 where views were quantised to 8 bits for the upload).
     */
    public static final int SCHEMA_VERSION = 7;
    public static final StructType TRIALS = new StructType()
            .add("trial_id", DataTypes.StringType, false)
            .add("cell_id", DataTypes.StringType)
            .add("sweep", DataTypes.StringType)
            .add("job_file", DataTypes.StringType)
            .add("status", DataTypes.StringType)
            .add("reason", DataTypes.StringType)
            .add("dataset", DataTypes.StringType)
            .add("method", DataTypes.StringType)
            .add("augs", DataTypes.StringType)
            .add("strength", DataTypes.DoubleType)
            .add("seed", DataTypes.IntegerType)
            .add("release", DataTypes.IntegerType)
            .add("epochs", DataTypes.IntegerType)
            .add("batch_size", DataTypes.IntegerType)
            .add("width", DataTypes.DoubleType)
            .add("train_limit", DataTypes.IntegerType)
            .add("test_limit", DataTypes.IntegerType)
            .add("lr", DataTypes.DoubleType)
            .add("epochs_done", DataTypes.IntegerType)
            .add("knn_top1_best", DataTypes.DoubleType)
            .add("knn_top1_init", DataTypes.DoubleType)
            .add("best_epoch", DataTypes.IntegerType)
            .add("knn_top1_final", DataTypes.DoubleType)
            .add("loss_first_epoch", DataTypes.DoubleType)
            .add("loss_final_epoch", DataTypes.DoubleType)
            .add("seconds", DataTypes.DoubleType)
            .add("images_per_second", DataTypes.DoubleType)
            .add("device", DataTypes.StringType)
            .add("threads", DataTypes.IntegerType)
            .add("layout", DataTypes.StringType)
            .add("layout_note", DataTypes.StringType)
            .add("view_upload", DataTypes.StringType)
            .add("precision", DataTypes.StringType)
            .add("gpu", DataTypes.StringType)
            .add("trials_on_gpu", DataTypes.IntegerType)
            .add("cuda_visible_devices", DataTypes.StringType)
            .add("gpu_name", DataTypes.StringType)
            .add("cuda", DataTypes.StringType)
            .add("cudnn", DataTypes.StringType)
            .add("tf32_conv", DataTypes.BooleanType)
            .add("device_note", DataTypes.StringType)
            .add("cpu_fallback", DataTypes.BooleanType)
            .add("cpu_kernels", DataTypes.StringType)
            .add("cpu_model", DataTypes.StringType)
            .add("cpu_cores", DataTypes.IntegerType)
            .add("epoch_spans", DataTypes.StringType)
            .add("host", DataTypes.StringType)
            .add("started_at", DataTypes.TimestampType)
            .add("finished_at", DataTypes.TimestampType)
            .add("sample", DataTypes.IntegerType)
            .add("sampled", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType))
            .add("sampled_choices", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType))
            .add("search_space", DataTypes.StringType)
            .add("schema_version", DataTypes.IntegerType)
            .add("settings", DataTypes.StringType);
    public static final StructType EPOCHS = new StructType()
            .add("trial_id", DataTypes.StringType, false)
            .add("cell_id", DataTypes.StringType)
            .add("sweep", DataTypes.StringType)
            .add("epoch", DataTypes.IntegerType)
            .add("loss", DataTypes.DoubleType)
            .add("knn_top1", DataTypes.DoubleType)
            .add("lr", DataTypes.DoubleType)
            .add("train_seconds", DataTypes.DoubleType)
            .add("eval_seconds", DataTypes.DoubleType)
            .add("images_per_second", DataTypes.DoubleType)
            .add("resumed", DataTypes.BooleanType)
            .add("cpu_model", DataTypes.StringType)
            .add("kernels", DataTypes.StringType);
    private static final int CIFAR_TRAIN = 50_000; // both datasets: 50,000 training and 10,000 test images
    private static final int CIFAR_TEST = 10_000;

    private final SparkSession spark;
    private final ResultsLayout layout;
    private final DeltaTables tables;

    public ResultsStore(SparkSession spark, ResultsLayout layout) {
        this(spark, layout, CommitGuard.NONE);
    }

    /** @param guard checked before each commit (the driver's lease) */
    public ResultsStore(SparkSession spark, ResultsLayout layout, CommitGuard guard) {
        this.spark = spark;
        this.layout = layout;
        this.tables = new DeltaTables(spark, layout, guard);
    }

    /** Creates both tables before any write (concurrent first writes would race) and checks their schema. */
    public void open() {
        tables.create("trials", TRIALS, Set.of("cell_id", "settings", "knn_top1_init", "precision", "gpu",
                "cuda_visible_devices", "gpu_name", "cuda", "cudnn", "tf32_conv", "device_note", "cpu_fallback",
                "cpu_kernels", "cpu_model", "cpu_cores", "epoch_spans", "layout_note", "view_upload", "trials_on_gpu", "sample", "sampled", "sampled_choices", "search_space"));
        tables.create("epochs", EPOCHS, Set.of("cell_id", "cpu_model", "kernels"));
    }

    public Dataset<Row> trials() {
        return tables.read("trials");
    }

    /** The epochs of recorded trials. */
    public Dataset<Row> epochs() {
        return ofRecordedTrials(tables.read("epochs"), trials());
    }

    /** Epoch rows whose trial row exists: the others are what a commit cut short between its two tables left. */
    public static Dataset<Row> ofRecordedTrials(Dataset<Row> epochs, Dataset<Row> trials) {
        Dataset<Row> ids = trials.select("trial_id");
        return epochs.join(ids, epochs.col("trial_id").equalTo(ids.col("trial_id")), "left_semi");
    }

    /** Status per recorded trial id. */
    public Map<String, String> recorded() {
        Map<String, String> status = new HashMap<>();
        for (Row r : trials().select("trial_id", "status").collectAsList()) {
            status.put(r.getString(0), r.getString(1));
        }
        return status;
    }

    /** A trial and the outcome its task left, ready to be recorded; in a search, the sample it trained (else null). */
    public record Finished(TrialConfig trial, TrialOutcome outcome, Sample sample) {
        public Finished(TrialConfig trial, TrialOutcome outcome) {
            this(trial, outcome, null);
        }
    }

    /**
     * Records the trials in {@code batch} that the tables do not hold (the caller skips those it knows of; the
     * MERGE skips the rest): epochs first, so that a trial row never exists without its epochs.
     */
    public void commit(String sweep, String jobFile, List<Finished> batch) {
        List<Map<String, Object>> trialRows = new ArrayList<>();
        List<Map<String, Object>> epochRows = new ArrayList<>();
        for (Finished f : batch) {
            trialRows.add(trialRow(sweep, jobFile, f.trial(), f.outcome(), f.sample()));
            for (Map<String, Object> e : f.outcome().epochs()) {
                Map<String, Object> row = new LinkedHashMap<>(e);
                row.put("trial_id", f.outcome().trialId());
                row.put("cell_id", f.trial().cellId());
                row.put("sweep", sweep);
                epochRows.add(row);
            }
        }
        tables.insertAbsent("epochs", EPOCHS, List.of("trial_id", "epoch"), epochRows);
        TestPause.at("between-commits"); // a stop here leaves epochs without their trial: the next run adds it
        tables.insertAbsent("trials", TRIALS, List.of("trial_id"), trialRows);
    }

    /**
     * Removes failed trials' rows so that --retry-failed can run them again: epochs first, as a stop in between
     * must not leave old epochs that the rerun's would be merged into.
     */
    public void forget(List<String> trialIds) {
        if (trialIds.isEmpty()) {
            return;
        }
        tables.checkGuard();
        spark.sql("DELETE FROM delta.`" + layout.epochsTable() + "` WHERE trial_id IN (" + quoted(trialIds) + ")");
        tables.checkGuard();
        spark.sql("DELETE FROM delta.`" + layout.trialsTable() + "` WHERE trial_id IN (" + quoted(trialIds) + ")");
    }

    private static String quoted(List<String> ids) {
        return "'" + String.join("','", ids) + "'";
    }

    /**
     * A trial's row as the trials table will hold it once it ends: its settings, and where a search sampled it, its
     * sample; the outcome's columns (status, metrics, device, times) are left out. What a live view shows of a trial
     * that is pending or running.
     */
    public static Map<String, Object> plannedRow(String sweep, String jobFile, TrialConfig trial, Sample sample) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("trial_id", trial.id());
        row.put("cell_id", trial.cellId());
        row.put("settings", trial.cellSettingsJson());
        row.put("sweep", sweep);
        row.put("job_file", jobFile);
        row.put("dataset", trial.dataset().key());
        row.put("method", trial.method());
        row.put("augs", trial.augs());
        row.put("strength", trial.strength());
        row.put("seed", trial.seed());
        row.put("release", trial.release());
        row.put("epochs", trial.epochs());
        row.put("batch_size", trial.batchSize());
        row.put("width", trial.width());
        row.put("train_limit", trial.trainLimit() == TrialConfig.ALL ? CIFAR_TRAIN : trial.trainLimit());
        row.put("test_limit", trial.testLimit() == TrialConfig.ALL ? CIFAR_TEST : trial.testLimit());
        row.put("threads", trial.runtime().threads() > 0 ? trial.runtime().threads() : null);
        row.put("lr", trial.lr());
        row.put("precision", trial.precision().key());
        if (sample != null) {
            row.put("sample", sample.index());
            row.put("sampled", sample.numbers());
            row.put("sampled_choices", sample.words());
            row.put("search_space", sample.space());
        }
        row.put("schema_version", SCHEMA_VERSION);
        return row;
    }

    /** The trials table's row of a trial that ended with {@code outcome} (paused: what it recorded so far). */
    public static Map<String, Object> trialRow(String sweep, String jobFile, TrialConfig trial, TrialOutcome outcome,
                                               Sample sample) {
        Map<String, Object> row = plannedRow(sweep, jobFile, trial, sample);
        if (outcome.result() != null) {
            row.putAll(outcome.result());
        }
        row.put("status", outcome.status());
        row.put("reason", outcome.reason());
        row.put("device", outcome.device());
        row.put("host", outcome.host());
        row.put("started_at", new Timestamp(outcome.startedAtMillis()));
        row.put("finished_at", new Timestamp(outcome.finishedAtMillis()));
        return row;
    }

}
