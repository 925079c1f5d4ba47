package dev.augsweep.sweep;

import static dev.augsweep.sweep.SweepRunnerTest.TINY;
import static dev.augsweep.sweep.SweepRunnerTest.job;
import static dev.augsweep.sweep.SweepRunnerTest.rows;
import static dev.augsweep.sweep.SweepRunnerTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.report.CsvTables;
import dev.augsweep.report.ResultsViews;
import dev.augsweep.results.ResultsLayout;
import dev.augsweep.results.ResultsStore;
import dev.augsweep.results.SparkSessions;
import dev.augsweep.storage.StorePath;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Results recorded before controls and cell ids: completed in place, to what a sweep records itself. */
class ControlBackfillTest {
    @Test
    void olderDeltaTablesAndSnapshotsGetTheControlsAndCellIdsANewSweepRecords(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        assertThat(run(job(dir, "method = [simclr], augs = [a, ab], seed = [0, 1]", 1), results, null, false,
                List.of(), log).finished()).as("driver log:%n%s", log).isEqualTo(4);
        Map<String, Object[]> recorded = new HashMap<>();
        for (Row r : rows(results, "trials", "true")) {
            recorded.put(r.getAs("trial_id"), new Object[] {r.getAs("cell_id"), r.getAs("knn_top1_init")});
        }
        assertThat(recorded.values()).allSatisfy(v -> assertThat(v).doesNotContainNull());
        assertThat(rows(results, "epochs", "epoch = 0")).hasSize(4);
        // Two cells (a, ab) of two seeds each; both seeds' controls are shared by the cells.
        assertThat(recorded.values().stream().map(v -> v[0]).distinct()).hasSize(2);
        assertThat(recorded.values().stream().map(v -> v[1]).distinct()).hasSize(2);

        // What an older version left: no control, no cell id, no epoch 0.
        Path snapshot = dir.resolve("snapshot");
        ResultsLayout layout = new ResultsLayout(results);
        SparkSession spark = SparkSessions.create("older", "local[1]", Map.of("spark.ui.enabled", "false"));
        try {
            spark.sql("UPDATE delta.`" + layout.trialsTable() + "` SET knn_top1_init = NULL, cell_id = NULL, "
                    + "settings = NULL, precision = NULL");
            spark.sql("DELETE FROM delta.`" + layout.epochsTable() + "` WHERE epoch = 0");
            spark.sql("UPDATE delta.`" + layout.epochsTable() + "` SET cell_id = NULL");
            var trials = spark.read().format("delta").load(layout.trialsTable().toString());
            var epochs = spark.read().format("delta").load(layout.epochsTable().toString());
            List<String> newer = List.of("cell_id", "settings", "knn_top1_init", "precision");
            CsvTables.write(trials.drop(newer.toArray(String[]::new)), without(ResultsStore.TRIALS, newer), snapshot,
                    "trials");
            CsvTables.write(epochs.drop("cell_id"), without(ResultsStore.EPOCHS, List.of("cell_id")), snapshot,
                    "epochs");
        } finally {
            spark.stop();
        }

        ControlBackfill backfill = new ControlBackfill(new PrintStream(new ByteArrayOutputStream()));
        assertThat(backfill.run(StorePath.local(results), TINY)).isEqualTo(new ControlBackfill.Summary(4, List.of()));
        assertThat(backfill.run(StorePath.local(snapshot), TINY)).isEqualTo(new ControlBackfill.Summary(4, List.of()));
        for (Row r : rows(results, "trials", "true")) {
            Object[] before = recorded.get(r.<String>getAs("trial_id"));
            assertThat(r.<String>getAs("cell_id")).isEqualTo(before[0]);
            assertThat(r.<Double>getAs("knn_top1_init")).isEqualTo(before[1]);
            assertThat(r.<String>getAs("precision")).isEqualTo("fp32");
        }
        assertThat(rows(results, "epochs", "epoch = 0")).hasSize(4);
        assertThat(rows(results, "epochs", "cell_id IS NULL")).isEmpty();
        try (ResultsViews views = ResultsViews.open(StorePath.local(snapshot))) {
            for (Row r : views.trials().collectAsList()) {
                Object[] before = recorded.get(r.<String>getAs("trial_id"));
                assertThat(r.<String>getAs("cell_id")).isEqualTo(before[0]);
                assertThat(r.<Double>getAs("knn_top1_init")).isEqualTo(before[1]);
            }
            assertThat(views.epochs().where("epoch = 0").count()).isEqualTo(4);
        }
        // Nothing left to complete: a second run changes nothing.
        assertThat(backfill.run(StorePath.local(snapshot), TINY).completed()).isZero();
    }

    private static StructType without(StructType schema, List<String> dropped) {
        StructType kept = new StructType();
        for (StructField f : schema.fields()) {
            if (!dropped.contains(f.name())) {
                kept = kept.add(f);
            }
        }
        return kept;
    }
}
