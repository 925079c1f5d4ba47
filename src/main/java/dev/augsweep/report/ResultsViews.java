package dev.augsweep.report;

import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.sweep.ResultsLayout;
import dev.augsweep.sweep.SparkSessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** A results directory opened for reading: a local Spark session with views {@code trials} and {@code epochs}. */
public final class ResultsViews implements AutoCloseable {
    private final SparkSession spark;
    private final ResultsLayout layout;

    private ResultsViews(SparkSession spark, ResultsLayout layout) {
        this.spark = spark;
        this.layout = layout;
    }

    public static ResultsViews open(Path results) {
        ResultsLayout layout = new ResultsLayout(results);
        if (!Files.isDirectory(layout.trialsTable().resolve("_delta_log"))) {
            throw new InvalidConfigException(results.toString(), List.of("no results table under " + layout.root()
                    + "; run a sweep first (./augsweep run jobs/smoke.conf) or pass --results <its directory>"));
        }
        SparkSession spark = SparkSessions.create("augsweep results", "local[2]", Map.of("spark.ui.enabled", "false"));
        spark.read().format("delta").load(layout.trialsTable().toString()).createOrReplaceTempView("trials");
        spark.read().format("delta").load(layout.epochsTable().toString()).createOrReplaceTempView("epochs");
        return new ResultsViews(spark, layout);
    }

    /** With no --results: the only sweep under ./results, or the most recently used one. */
    public static Path defaultResults() {
        Path root = Path.of("results");
        try (Stream<Path> dirs = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("sweep.json")))
                    .max(Comparator.comparingLong(d -> d.resolve("sweep.json").toFile().lastModified()))
                    .orElseThrow(() -> new InvalidConfigException("--results", List.of("no sweep results under "
                            + root.toAbsolutePath() + "; run ./augsweep run jobs/smoke.conf or pass --results DIR")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public SparkSession spark() {
        return spark;
    }

    public Dataset<Row> trials() {
        return spark.table("trials");
    }

    public Dataset<Row> epochs() {
        return spark.table("epochs");
    }

    public ResultsLayout layout() {
        return layout;
    }

    @Override
    public void close() {
        spark.stop();
    }
}
