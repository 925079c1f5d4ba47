package dev.augsweep.report;

import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.results.ConcentrationTable;
import dev.augsweep.results.ResultsLayout;
import dev.augsweep.results.ResultsStore;
import dev.augsweep.results.SparkSessions;
import dev.augsweep.storage.Storage;
import dev.augsweep.storage.StorePath;
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
import org.apache.spark.sql.functions;
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

    /** The CPU-scale reproduction shipped in the repository, read when no sweep has run here (docs/paper-at-cpu-scale.md). */
    public static final Path SHIPPED = Path.of("docs", "results", "cpu-paper-v2");
    /** What identifies a row of each table: across joined directories, a key may come from one only. */
    private static final Map<String, List<String>> KEYS = Map.of(
            "trials", List.of("trial_id"), "epochs", List.of("trial_id", "epoch"), ConcentrationTable.TABLE,
            ConcentrationTable.KEYS);

    static {
        TABLES.put("trials", ResultsStore.TRIALS);
        TABLES.put("epochs", ResultsStore.EPOCHS);
        TABLES.put(ConcentrationTable.TABLE, ConcentrationTable.SCHEMA);
    }

    private final SparkSession spark;
    private final List<String> views;
    private final StorePath root;
    private final List<StorePath> dirs;
    /** Whether closing stops the session (it was started for these views). */
    private final boolean ownsSession;

    private ResultsViews(SparkSession spark, List<String> views, StorePath root, List<StorePath> dirs,
                         boolean ownsSession) {
        this.spark = spark;
        this.views = views;
        this.root = root;
        this.dirs = dirs;
        this.ownsSession = ownsSession;
    }

    /** A sweep's Delta tables (on any store, see Storage), or a snapshot's CSV files (a local directory). */
    public static ResultsViews open(StorePath results) {
        return open(List.of(results));
    }

    /**
     * Several results directories read as one: each table is the union of theirs, as for a job run in parts
     * (docs/results/cpu-paper-v2/parts). A trial, or a concentration row, may come from one directory only: two
     * copies could disagree, and a report would silently count a seed twice.
     */
    public static ResultsViews open(List<StorePath> dirs) {
        return open(dirs, Map.of());
    }

    /**
     * As {@link #open(List)}, with Spark settings ({@code --conf}): {@code spark.hadoop.*} among them reach the
     * store (an S3 endpoint, its credentials) for Spark and for {@link Storage} alike.
     */
    public static ResultsViews open(List<StorePath> dirs, Map<String, String> sparkSettings) {
        if (dirs.isEmpty()) {
            throw new IllegalArgumentException("no results directory");
        }
        if (dirs.stream().distinct().count() < dirs.size()) {
            throw new InvalidConfigException("--results", List.of("a directory is named twice in " + dirs
                    + "; name each results directory once"));
        }
        if (!sparkSettings.isEmpty()) { // else this JVM's (from its system properties, or as a driver set them)
            Storage.configure(Storage.hadoopSettings(sparkSettings));
        }
        dirs.forEach(ResultsViews::requireResults);
        Map<String, String> settings = new LinkedHashMap<>(Map.of("spark.ui.enabled", "false"));
        // A reader's queries are small and each runs once: generating and compiling code for them (whole-stage and
        // expression codegen), re-planning them (AQE) and splitting them into partitions cost more than they
        // save. With these a reader on the shipped snapshot answers about 3 s sooner (bench --only cli); --conf
        // overrides them.
        settings.put("spark.sql.codegen.wholeStage", "false");
        settings.put("spark.sql.codegen.factoryMode", "NO_CODEGEN");
        settings.put("spark.sql.adaptive.enabled", "false");
        settings.put("spark.sql.shuffle.partitions", "1");
        settings.putAll(sparkSettings);
        SparkSession spark = SparkSessions.create("augsweep results", "local[2]", settings);
        try {
            return open(spark, dirs, true);
        } catch (Exception e) { // Spark's checked exceptions too (rethrown as they are)
            spark.stop();
            throw e;
        }
    }

    /**
     * The views of {@code dirs} in a session of their own on a running Spark application (a sweep's driver, whose
     * dashboard reads the tables as they fill): its own temporary views, and closing leaves the application running.
     */
    public static ResultsViews openIn(SparkSession running, List<StorePath> dirs) {
        dirs.forEach(ResultsViews::requireResults);
        return open(running.newSession(), dirs, false);
    }

    private static ResultsViews open(SparkSession spark, List<StorePath> dirs, boolean ownsSession) {
        List<String> views = new ArrayList<>();
        TABLES.forEach((name, schema) -> {
            Map<StorePath, Dataset<Row>> parts = new LinkedHashMap<>();
            for (StorePath dir : dirs) {
                Dataset<Row> table = read(spark, dir, name, schema);
                if (table != null) {
                    parts.put(dir, table);
                }
            }
            if (!parts.isEmpty()) {
                requireDisjoint(name, parts);
                Dataset<Row> table = parts.values().stream().reduce(Dataset::unionByName).orElseThrow();
                (name.equals("trials") ? StalledRuns.noted(table) : table).createOrReplaceTempView(name);
                views.add(name);
            }
        });
        paper(spark).createOrReplaceTempView("paper");
        views.add("paper");
        StorePath root = dirs.size() == 1 ? dirs.get(0) : null;
        return new ResultsViews(spark, views, root != null ? new ResultsLayout(root).root() : null, dirs,
                ownsSession);
    }

    private static void requireResults(StorePath results) {
        ResultsLayout layout = new ResultsLayout(results);
        if (TABLES.keySet().stream().noneMatch(t -> isDelta(layout, t) || isSnapshot(results, t))) {
            throw new InvalidConfigException(results.toString(), List.of("no results under " + layout.root()
                    + " (no table under tables/ such as tables/trials or tables/concentration, nor a snapshot's "
                    + "trials.csv); run a sweep first (./augsweep run jobs/smoke.conf), pass --results <its "
                    + "directory>, or read the shipped results: --results " + SHIPPED));
        }
    }

    /** One directory's table: its Delta table where it has any, else its snapshot's CSV file; null if neither. */
    private static Dataset<Row> read(SparkSession spark, StorePath results, String name, StructType schema) {
        ResultsLayout layout = new ResultsLayout(results);
        if (TABLES.keySet().stream().anyMatch(t -> isDelta(layout, t))) {
            if (!isDelta(layout, name)) {
                return null;
            }
            Dataset<Row> table = CsvTables.withSchema(spark.read().format("delta").load(layout.table(name).toString()),
                    schema);
            return name.equals("epochs") && isDelta(layout, "trials")
                    ? ResultsStore.ofRecordedTrials(table, read(spark, results, "trials", ResultsStore.TRIALS)) : table;
        }
        return isSnapshot(results, name) ? CsvTables.read(spark, results.toLocalPath(), name, schema) : null;
    }

    /** Fails, naming the key and both directories, when a row's key is in two of them. */
    private static void requireDisjoint(String table, Map<StorePath, Dataset<Row>> parts) {
        List<String> keys = KEYS.get(table);
        if (parts.size() < 2 || keys == null) {
            return;
        }
        org.apache.spark.sql.Column[] keyColumns = keys.stream().map(functions::col)
                .toArray(org.apache.spark.sql.Column[]::new);
        Dataset<Row> tagged = null;
        for (var part : parts.entrySet()) {
            Dataset<Row> t = part.getValue().select(keyColumns).distinct()
                    .withColumn("_dir", functions.lit(part.getKey().toString()));
            tagged = tagged == null ? t : tagged.unionByName(t);
        }
        List<Row> twice = tagged.groupBy(keyColumns).agg(functions.sort_array(functions.collect_list("_dir")).as("dirs"))
                .where(functions.size(functions.col("dirs")).gt(1)).limit(3).collectAsList();
        if (!twice.isEmpty()) {
            Row r = twice.get(0);
            List<String> key = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                key.add(keys.get(i) + " " + r.get(i));
            }
            throw new InvalidConfigException("--results", List.of(table + " row " + String.join(", ", key)
                    + " is in " + String.join(" and ", r.<String>getList(keys.size())) + (twice.size() > 1
                    ? " (and more rows)" : "") + ": each must come from one directory, or a report would count it "
                    + "twice; drop the directory that repeats it, or export the parts you mean to keep"));
        }
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
                        if (Files.isRegularFile(CsvTables.file(SHIPPED, "trials"))) {
                            return SHIPPED;
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
            StepsView.of(spark, spark.table("trials"), has(ConcentrationTable.TABLE) ? spark.table(ConcentrationTable.TABLE)
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
            String where = root != null ? root.toString() : String.join(" + ", dirs.stream().map(String::valueOf).toList());
            throw new InvalidConfigException("--results", List.of(where + " holds no " + view + " table (it has: "
                    + String.join(", ", views) + "); tables and plots need a sweep's trials: run one there (./augsweep "
                    + "run JOB --results DIR) or read them with ./augsweep sql"));
        }
        return spark.table(view);
    }

    /** The directories read, as given. */
    public List<StorePath> dirs() {
        return dirs;
    }

    @Override
    public void close() {
        if (ownsSession) {
            spark.stop();
        }
    }
}
