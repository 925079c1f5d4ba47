package dev.augsweep.report;

import dev.augsweep.concentration.Concentration;
import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.storage.Storage;
import dev.augsweep.storage.StorePath;
import dev.augsweep.sweep.ResultsLayout;
import dev.augsweep.sweep.ResultsStore;
import dev.augsweep.sweep.SparkSessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Results opened for reading: a local Spark session with the views {@code trials} and {@code epochs} (and
 * {@code concentration} where measured), whichever of them a directory holds, from a sweep's Delta tables or from a
 * snapshot of them as CSV files ({@code augsweep export}, e.g. docs/results/cpu-paper); {@code paper}, the published
 * values; and on request ({@link #withSteps()}) {@code steps}, every step of the default tables report.
 */
public final class ResultsViews implements AutoCloseable {
    /** The results tables a directory may hold, with their schemas; trials and epochs are required. */
    public static final Map<String, StructType> TABLES = new LinkedHashMap<>();
    public static final StructType PAPER = new StructType()
            .add("dataset", DataTypes.StringType).add("release", DataTypes.IntegerType)
            .add("table", DataTypes.StringType).add("augs", DataTypes.StringType)
            .add("strength", DataTypes.DoubleType).add("method", DataTypes.StringType)
            .add("mean", DataTypes.DoubleType).add("std", DataTypes.DoubleType);

    static {
        TABLES.put("trials", ResultsStore.TRIALS);
        TABLES.put("epochs", ResultsStore.EPOCHS);
        TABLES.put(Concentration.TABLE, Concentration.SCHEMA);
    }

    private final SparkSession spark;
    private final List<String> views;
    private final StorePath root;

    private ResultsViews(SparkSession spark, List<String> views, StorePath root) {
        this.spark = spark;
        this.views = views;
        this.root = root;
    }

    /** A sweep's Delta tables (on any store, see Storage), or a snapshot's CSV files (a local directory). */
    public static ResultsViews open(StorePath results) {
        ResultsLayout layout = new ResultsLayout(results);
        boolean delta = TABLES.keySet().stream().anyMatch(t -> isDelta(layout, t));
        boolean snapshot = TABLES.keySet().stream().anyMatch(t -> isSnapshot(results, t));
        if (!delta && !snapshot) {
            throw new InvalidConfigException(results.toString(), List.of("no results under " + layout.root()
                    + " (no table under tables/ such as tables/trials or tables/concentration, nor a snapshot's "
                    + "trials.csv); run a sweep first (./augsweep run jobs/smoke.conf), pass --results <its "
                    + "directory>, or read the shipped results: --results docs/results/cpu-paper"));
        }
        SparkSession spark = SparkSessions.create("augsweep results", "local[2]", Map.of("spark.ui.enabled", "false"));
        List<String> views = new ArrayList<>();
        TABLES.forEach((name, schema) -> {
            Dataset<Row> table = null;
            if (delta && isDelta(layout, name)) {
                table = CsvTables.withSchema(spark.read().format("delta").load(layout.table(name).toString()), schema);
                if (name.equals("epochs") && views.contains("trials")) {
                    table = ResultsStore.ofRecordedTrials(table, spark.table("trials"));
                }
            } else if (!delta && isSnapshot(results, name)) {
                table = CsvTables.read(spark, results.toLocalPath(), name, schema);
            }
            if (table != null) {
                table.createOrReplaceTempView(name);
                views.add(name);
            }
        });
        paper(spark).createOrReplaceTempView("paper");
        views.add("paper");
        return new ResultsViews(spark, views, layout.root());
    }

    private static boolean isDelta(ResultsLayout layout, String table) {
        return Storage.isDirectory(layout.table(table).resolve("_delta_log"));
    }

    private static boolean isSnapshot(StorePath results, String table) {
        return results.isLocal() && Files.isRegularFile(CsvTables.file(results.toLocalPath(), table));
    }

    /** The published tables as rows (dataset, release, table, augs, strength, method, mean, std). */
    static Dataset<Row> paper(SparkSession spark) {
        List<Row> rows = new ArrayList<>();
        for (PaperResults.Cell c : PaperResults.load().all()) {
            rows.add(RowFactory.create(c.dataset().key(), c.release(), c.table(), c.augs(), c.strength(), c.method(),
                    c.mean(), c.std()));
        }
        return spark.createDataFrame(rows, PAPER);
    }

    /** With no --results: the most recently used sweep under ./results, else the shipped CPU-scale results. */
    public static StorePath defaultResults() {
        Path root = Path.of("results");
        try (Stream<Path> dirs = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
            return StorePath.local(dirs.filter(d -> Files.isRegularFile(d.resolve("sweep.json")))
                    .max(Comparator.comparingLong(d -> d.resolve("sweep.json").toFile().lastModified()))
                    .orElseGet(() -> {
                        Path shipped = Path.of("docs", "results", "cpu-paper");
                        if (Files.isRegularFile(CsvTables.file(shipped, "trials"))) {
                            return shipped;
                        }
                        throw new InvalidConfigException("--results", List.of("no sweep results under "
                                + root.toAbsolutePath() + "; run ./augsweep run jobs/smoke.conf or pass --results DIR"));
                    }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Adds the {@code steps} view (the default tables report's steps), for SQL: it builds the whole report, which
     * the commands that build one themselves (tables, plots, export) need not pay for twice.
     */
    public ResultsViews withSteps() {
        if (has("trials") && !has("steps")) {
            StepsView.of(spark, spark.table("trials"), has(Concentration.TABLE) ? spark.table(Concentration.TABLE)
                    : null).createOrReplaceTempView("steps");
            views.add("steps");
        }
        return this;
    }

    public SparkSession spark() {
        return spark;
    }

    /** The views this results directory has. */
    public List<String> views() {
        return views;
    }

    public boolean has(String view) {
        return views.contains(view);
    }

    public Dataset<Row> trials() {
        return required("trials");
    }

    public Dataset<Row> epochs() {
        return required("epochs");
    }

    private Dataset<Row> required(String view) {
        if (!has(view)) {
            throw new InvalidConfigException("--results", List.of(root + " holds no " + view + " table (it has: "
                    + String.join(", ", views) + "); tables and plots need a sweep's trials: run one there (./augsweep "
                    + "run JOB --results " + root + ") or read them with ./augsweep sql"));
        }
        return spark.table(view);
    }

    @Override
    public void close() {
        spark.stop();
    }
}
