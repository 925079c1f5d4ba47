package dev.augsweep.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augsweep.config.TrialConfig;
import dev.augsweep.job.SweepJob;
import dev.augsweep.job.SweepJobs;
import dev.augsweep.results.ConcentrationTable;
import dev.augsweep.results.ResultsLayout;
import dev.augsweep.results.ResultsStore;
import dev.augsweep.results.SparkSessions;
import dev.augsweep.results.TrialOutcome;
import dev.augsweep.storage.StorePath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CSV snapshot of results reads back as the same views, and the published values are a view too. */
class SnapshotTest {
    @Test
    void aSnapshotReadsBackWithTheSameRowsAndTypesAndThePaperIsOneJoinAway(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("job.conf");
        Files.writeString(job, "name = snap\ngrid { method = [simclr], augs = [abcde, a], seed = [0, 1] }\n");
        SweepJob sweep = SweepJobs.load(job, List.of(), 10);
        Path results = dir.resolve("results");
        double[] acc = {30};
        commit(sweep, job, results, t -> new TrialOutcome(t.id(), TrialOutcome.FINISHED, "a reason, with \"quotes\"",
                "h", "cpu", 1000, 2000, Map.of("knn_top1_best", acc[0]++, "epochs_done", 800, "seconds", 1.5),
                List.of(Map.of("epoch", 1, "loss", 5.0, "knn_top1", 20.0))));
        Path snapshot = dir.resolve("snapshot");
        try (ResultsViews views = ResultsViews.open(StorePath.local(results))) {
            CsvTables.write(views.trials(), ResultsStore.TRIALS, snapshot, "trials");
            CsvTables.write(views.epochs(), ResultsStore.EPOCHS, snapshot, "epochs");
        }
        try (ResultsViews delta = ResultsViews.open(StorePath.local(results));
             ResultsViews csv = ResultsViews.open(StorePath.local(snapshot))) {
            assertThat(csv.has("concentration")).isFalse();
            String q = "SELECT trial_id, knn_top1_best, reason, started_at, epochs_done FROM trials ORDER BY trial_id";
            assertThat(csv.spark().sql(q).collectAsList().toString()).isEqualTo(delta.spark().sql(q).collectAsList().toString());
            assertThat(csv.trials().schema()).isEqualTo(delta.trials().schema().asNullable());
            List<Row> joined = csv.spark().sql("""
                    SELECT t.augs, avg(t.knn_top1_best) AS ours, p.mean AS paper FROM trials t JOIN paper p
                    ON p.dataset = t.dataset AND p.release = t.release AND p.augs = t.augs AND p.method = t.method
                    GROUP BY t.augs, p.mean ORDER BY t.augs""").collectAsList();
            assertThat(joined).hasSize(2);
            assertThat(joined.get(1).<String>getAs("augs")).isEqualTo("abcde");
            assertThat(joined.get(1).<Double>getAs("paper")).isEqualTo(89.76); // 2022 SimCLR abcde
            assertThat(TablesReport.build(csv.trials(), TablesReport.MAIN_SCALES, 0).get(0).combinations()
                    .entry("a", "simclr").ours().mean()).isEqualTo(32.5); // grid order: abcde seeds 0, 1, then a
        }
    }

    @Test
    void directoriesOfAJobRunInPartsReadAsOneAndARepeatedTrialIsRefused(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("job.conf");
        Files.writeString(job, "name = parts\ngrid { method = [simclr], augs = [abcde, a], seed = [0, 1] }\n");
        SweepJob sweep = SweepJobs.load(job, List.of(), 10);
        Path seed0 = dir.resolve("seed0");
        Path seed1 = dir.resolve("seed1");
        commit(sweep, job, seed0, 0);
        commit(sweep, job, seed1, 1);
        Path snapshot1 = dir.resolve("seed1-snapshot");
        try (ResultsViews views = ResultsViews.open(StorePath.local(seed1))) {
            CsvTables.write(views.trials(), ResultsStore.TRIALS, snapshot1, "trials");
            CsvTables.write(views.epochs(), ResultsStore.EPOCHS, snapshot1, "epochs");
        }
        // a part on Delta and a part as a snapshot: both readers, one set of views
        try (ResultsViews joined = ResultsViews.open(List.of(StorePath.local(seed0), StorePath.local(snapshot1)))) {
            assertThat(joined.trials().count()).isEqualTo(4);
            assertThat(joined.epochs().count()).isEqualTo(4);
            var abcde = TablesReport.build(joined.trials(), TablesReport.MAIN_SCALES, 0).get(0).combinations()
                    .entry("abcde", "simclr").ours();
            assertThat(abcde.bySeed()).containsOnlyKeys(0, 1);
            assertThat(abcde.mean()).isEqualTo((30 + 40) / 2.0); // seed 0's abcde and seed 1's
        }
        assertThatThrownBy(() -> ResultsViews.open(List.of(StorePath.local(seed0), StorePath.local(seed1),
                StorePath.local(snapshot1))))
                .hasMessageContaining("trials row trial_id ").hasMessageContaining(seed1.toString())
                .hasMessageContaining(snapshot1.toString()).hasMessageContaining("twice");
        assertThatThrownBy(() -> ResultsViews.open(List.of(StorePath.local(seed0), StorePath.local(seed0))))
                .hasMessageContaining("named twice");
    }

    /** Commits the job's trials of one seed to a Delta results directory: kNN 30, 31, ... for seed 0, 40, ... for 1. */
    private static void commit(SweepJob sweep, Path job, Path results, int seed) {
        double[] acc = {30 + 10 * seed};
        commit(sweep, job, results, t -> t.seed() != seed ? null : new TrialOutcome(t.id(), TrialOutcome.FINISHED, "",
                "h", "cpu", 1000, 2000, Map.of("knn_top1_best", acc[0]++, "epochs_done", 800, "seconds", 1.5),
                List.of(Map.of("epoch", 1, "loss", 5.0, "knn_top1", 20.0))));
    }

    /** Commits the outcome {@code outcome} gives each of the job's trials (none where it gives null), in grid order. */
    private static void commit(SweepJob sweep, Path job, Path results, Function<TrialConfig, TrialOutcome> outcome) {
        SparkSession spark = SparkSessions.create("write", "local[1]", Map.of("spark.ui.enabled", "false"));
        try {
            ResultsStore store = new ResultsStore(spark, new ResultsLayout(results));
            store.open();
            List<ResultsStore.Finished> finished = new ArrayList<>();
            for (TrialConfig t : sweep.trials()) {
                TrialOutcome o = outcome.apply(t);
                if (o != null) {
                    finished.add(new ResultsStore.Finished(t, o));
                }
            }
            store.commit(sweep.name(), job.toString(), finished);
        } finally {
            spark.stop();
        }
    }

    /**
     * A cell whose seeds ran on two CPUs, and one whose trial resumed on other kernels, are named; a cell of one
     * machine and kernels is not; trials recorded before epochs said where they ran are counted. Read from a CSV
     * snapshot, as the shipped results are, where the notebook filters on the same columns.
     */
    @Test
    void tablesWarnWhereACellMixesMachinesOrKernels(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("job.conf");
        Files.writeString(job, "name = mix\ngrid { method = [simclr], augs = [abcde, abc, a], seed = [0, 1] }\n");
        SweepJob sweep = SweepJobs.load(job, List.of(), 10);
        Path results = dir.resolve("results");
        commit(sweep, job, results, t -> {
            List<Map<String, Object>> epochs = switch (t.augs()) {
                // seed 1 on another machine
                case "abcde" -> List.of(epoch(1, t.seed() == 0 ? "AMD EPYC" : "Intel Xeon", "oneDNN AVX2"));
                // seed 0 resumed on other kernels
                case "abc" -> t.seed() == 0 ? List.of(epoch(1, "AMD EPYC", "libtorch native"),
                        epoch(2, "AMD EPYC", "oneDNN AVX2")) : List.of(epoch(1, "AMD EPYC", "oneDNN AVX2"));
                default -> List.of(Map.of("epoch", 1, "loss", 5.0)); // before epochs said where they ran
            };
            return new TrialOutcome(t.id(), TrialOutcome.FINISHED, "", "h", "cpu", 1000, 2000,
                    Map.of("knn_top1_best", 30.0, "epochs_done", 800, "seconds", 1.5), epochs);
        });
        Path snapshot = dir.resolve("snapshot");
        try (ResultsViews views = ResultsViews.open(StorePath.local(results))) {
            CsvTables.write(views.trials(), ResultsStore.TRIALS, snapshot, "trials");
            CsvTables.write(views.epochs(), ResultsStore.EPOCHS, snapshot, "epochs");
        }
        try (ResultsViews views = ResultsViews.open(StorePath.local(snapshot))) {
            assertThat(Provenance.warnings(views)).containsExactly(
                    "warning: cell simclr abc mixes kernels (libtorch native, oneDNN AVX2) across its 2 trials' "
                            + "epochs; filter on cpu_model or kernels (epochs) to compare like with like",
                    "warning: cell simclr abcde mixes machines (AMD EPYC, Intel Xeon) across its 2 trials' epochs; "
                            + "filter on cpu_model or kernels (epochs) to compare like with like",
                    "note: 2 finished trial(s) did not record the machine and kernels of their epochs (recorded "
                            + "before augsweep kept them), so a mix among them cannot be seen");
        }
    }

    private static Map<String, Object> epoch(int n, String model, String kernels) {
        return Map.of("epoch", n, "loss", 5.0, "cpu_model", model, "kernels", kernels);
    }

    @Test
    void aDirectoryWithOnlyAConcentrationTableAnswersSqlAndNamesWhatTablesNeed(@TempDir Path dir) {
        ResultsLayout layout = new ResultsLayout(dir);
        SparkSession spark = SparkSessions.create("write", "local[1]", Map.of("spark.ui.enabled", "false"));
        try {
            spark.sql("CREATE TABLE delta.`" + layout.table(ConcentrationTable.TABLE) + "` ("
                    + ConcentrationTable.SCHEMA.toDDL() + ") USING delta");
        } finally {
            spark.stop();
        }
        try (ResultsViews views = ResultsViews.open(StorePath.local(dir))) {
            assertThat(views.views()).containsExactly("concentration", "paper");
            assertThat(views.spark().sql("SELECT count(*) FROM concentration").first().getLong(0)).isZero();
            org.assertj.core.api.Assertions.assertThatThrownBy(views::trials)
                    .hasMessageContaining("holds no trials table").hasMessageContaining("concentration");
        }
    }

    @Test
    void exportingTheSameRowsInAnyOrderWritesTheSameFile(@TempDir Path dir) throws Exception {
        SparkSession spark = SparkSessions.create("order", "local[2]", Map.of("spark.ui.enabled", "false"));
        try {
            List<Row> rows = new ArrayList<>();
            for (int epoch : new int[] {10, 2, 1, 12, 3}) {
                for (String trial : List.of("t-b", "t-a")) {
                    rows.add(RowFactory.create(trial, "cell", "sweep", epoch, 5.0 - epoch));
                }
            }
            StructType schema = new StructType().add("trial_id", "string").add("cell_id", "string")
                    .add("sweep", "string").add("epoch", "int").add("loss", "double");
            CsvTables.write(spark.createDataFrame(rows, schema).repartition(3), schema, dir.resolve("one"), "epochs");
            Collections.reverse(rows);
            CsvTables.write(spark.createDataFrame(rows, schema).repartition(2), schema, dir.resolve("two"), "epochs");
        } finally {
            spark.stop();
        }
        List<String> one = Files.readAllLines(CsvTables.file(dir.resolve("one"), "epochs"));
        assertThat(one.subList(1, 6)).extracting(r -> r.split(",")[3]).containsExactly("1", "2", "3", "10", "12");
        assertThat(one).isEqualTo(Files.readAllLines(CsvTables.file(dir.resolve("two"), "epochs")));
    }
}
