package dev.augsweep.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.augsweep.results.ResultsStore;
import dev.augsweep.results.SparkSessions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Aggregation on hand-made result rows whose answers are known. */
class TablesReportTest {
    private static SparkSession spark;
    private static Dataset<Row> trials;
    private static int seeds;

    @BeforeAll
    static void rows() {
        spark = SparkSessions.create("tables-test", "local[1]", Map.of("spark.ui.enabled", "false"));
        List<Row> rows = new ArrayList<>();
        // Scale A: 2 epochs, width 0.125, 512/256 images (the most trials, shown by default).
        for (double acc : new double[] {80, 82, 84}) {
            rows.add(row("simclr", "abcde", 1, 2, "finished", acc));
        }
        rows.add(row("simclr", "abc", 1, 2, "finished", 70.0));
        rows.add(row("simclr", "abc", 1, 2, "finished", 72.0));
        rows.add(row("moco", "abcde", 1, 2, "failed", null)); // failed: never in a cell
        for (int i = 0; i < 3; i++) {
            rows.add(row("simclr", "color", 0.125, 2, "finished", 60.0));
        }
        // Scale B: 5 epochs; must not mix into scale A's cells.
        rows.add(row("simclr", "abcde", 1, 5, "finished", 10.0));
        // CIFAR-100 at scale A: its own report, beside CIFAR-100's published values.
        rows.add(row("cifar100", "simclr", "abcde", 1, 2, "finished", 40.0));
        rows.add(row("cifar100", "simclr", "abcde", 1, 2, "finished", 42.0));
        trials = spark.createDataFrame(rows, ResultsStore.TRIALS);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static Row row(String method, String augs, double strength, int epochs, String status, Double acc) {
        return row("cifar10", method, augs, strength, epochs, status, acc);
    }

    private static Row row(String dataset, String method, String augs, double strength, int epochs, String status,
                           Double acc) {
        Map<String, Object> v = new java.util.HashMap<>(Map.of("trial_id", dataset + method + augs + strength + epochs + acc,
                "status", status, "method", method, "augs", augs, "strength", strength, "epochs", epochs,
                "width", 0.125, "train_limit", 512, "test_limit", 256, "batch_size", 64));
        v.put("release", 2022);
        v.put("dataset", dataset);
        v.put("knn_top1_best", acc);
        v.put("seed", seeds++ % 3); // the cells' trials are seeds 0, 1, 2 in the order written
        Object[] values = new Object[ResultsStore.TRIALS.fields().length];
        StructField[] fields = ResultsStore.TRIALS.fields();
        for (int i = 0; i < values.length; i++) {
            values[i] = v.get(fields[i].name());
        }
        return RowFactory.create(values);
    }

    private static TablesReport.Report cifar10(int scale, int release) {
        return TablesReport.build(trials, scale, release).get(0);
    }

    @Test
    void cellsAreMeanAndPopulationStdOverSeedsPerScale() {
        TablesReport.Report r = cifar10(TablesReport.MAIN_SCALES, 0);
        assertThat(r.scale().epochs()).isEqualTo(2);
        PaperTable.Entry abcde = r.combinations().entry("abcde", "simclr");
        assertThat(abcde.ours().mean()).isCloseTo(82.0, offset(1e-9));
        assertThat(abcde.ours().std()).isCloseTo(Math.sqrt(8.0 / 3), offset(1e-9)); // population std, not sample
        assertThat(abcde.ours().n()).isEqualTo(3);
        assertThat(abcde.paper().mean()).isEqualTo(89.76);
        assertThat(abcde.difference()).isCloseTo(82.0 - 89.76, offset(1e-9));
        assertThat(PaperTable.meanStd(r.combinations().entry("abc", "simclr").ours())).isEqualTo("71.00 ± 1.00 (n=2)");
        assertThat(PaperTable.meanStd(abcde.ours())).isEqualTo("82.00 ± 1.63");
        assertThat(r.colorStrength().entry("1/8", "simclr").ours().mean()).isEqualTo(60.0);
    }

    @Test
    void cellsWithoutRunsAreBlankNotZero() {
        TablesReport.Report r = cifar10(TablesReport.MAIN_SCALES, 0);
        PaperTable.Entry moco = r.combinations().entry("abcde", "moco");
        assertThat(moco.ours()).isNull();
        assertThat(moco.paper().mean()).isEqualTo(90.12);
        // By default a method without cells has no columns (the tables were 21 columns wide); asked for, its
        // published values show beside blanks, not zeros.
        String md = TableFormat.md.render(r, r.combinations());
        assertThat(md).contains("| augs | simclr | paper | Δ | gain |\n").doesNotContain("moco")
                .contains("| abcde | 82.00 ± 1.63 | 89.76 ± 0.12 | -7.76 |  |\n");
        assertThat(TableFormat.md.render(r, r.combinations(), true))
                .contains("| abcde | 82.00 ± 1.63 | 89.76 ± 0.12 | -7.76 |  |  | 90.12 ± 0.12 |  |  |");
        assertThat(TableFormat.csv.render(r, r.combinations()))
                .contains("cell,cifar10,,combinations,abcde,moco,,,0,90.1200,0.1200,,,,,,,,\n");
    }

    @Test
    void otherScalesAreListedAndSelectable() {
        TablesReport.Report a = cifar10(TablesReport.MAIN_SCALES, 0);
        assertThat(a.scaleNote()).contains("Ours at CIFAR-10, 2 epochs").contains("[1] CIFAR-10, 5 epochs");
        TablesReport.Report b = cifar10(1, 2021);
        assertThat(b.combinations().entry("abcde", "simclr").ours().mean()).isEqualTo(10.0);
        assertThat(b.combinations().entry("abcde", "simclr").paper().mean()).isEqualTo(89.92); // 2021 release
        assertThat(b.combinations().methods()).containsExactly("simclr", "barlowtwins");
    }

    @Test
    void eachDatasetGetsItsOwnTablesBesideItsOwnPublishedValues() {
        List<TablesReport.Report> reports = TablesReport.build(trials, TablesReport.MAIN_SCALES, 0);
        assertThat(reports).extracting(r -> r.scale().dataset()).containsExactly(dev.augsweep.data.Dataset.CIFAR10,
                dev.augsweep.data.Dataset.CIFAR100);
        PaperTable.Entry c100 = reports.get(1).combinations().entry("abcde", "simclr");
        assertThat(c100.ours().mean()).isEqualTo(41.0);
        assertThat(c100.paper().mean()).isEqualTo(57.74); // CIFAR-100's published SimCLR abcde
        assertThat(reports.get(0).combinations().entry("abcde", "simclr").ours().mean()).isCloseTo(82.0, offset(1e-9));
        assertThat(TableFormat.md.render(reports.get(1), reports.get(1).combinations()))
                .contains("### CIFAR-100: Augmentation combinations");
        // The 2021 release published no CIFAR-100 values: blank, not borrowed from CIFAR-10.
        assertThat(TablesReport.build(trials, TablesReport.MAIN_SCALES, 2021).get(1).combinations()
                .entry("abcde", "simclr").paper()).isNull();
    }
}
