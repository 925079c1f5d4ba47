package dev.augsweep.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.results.ResultsStore;
import dev.augsweep.results.SparkSessions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/** The search report on hand-made rows: a failed trial (a divergence at a high lr) is counted, not a crash. */
class SearchReportTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSessions.create("search-report-test", "local[1]", Map.of("spark.ui.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static Row row(StructType schema, Map<String, Object> v) {
        StructField[] fields = schema.fields();
        Object[] values = new Object[fields.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = v.get(fields[i].name());
        }
        return RowFactory.create(values);
    }

    @Test
    void aFailedTrialCountsAsTheWorstScoreOfItsSettingInsteadOfCrashingTheReport() {
        List<Row> trials = new ArrayList<>();
        List<Row> epochs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            double lr = 0.01 * (i + 1);
            boolean diverged = i == 7; // the highest lr
            Map<String, Object> t = new HashMap<>(Map.of("trial_id", "t" + i, "cell_id", "c" + i, "sweep", "s",
                    "status", diverged ? "failed" : "finished", "epochs", 2, "search_space",
                    "{\"lr\":\"uniform(0.01, 0.08)\"}"));
            t.put("sampled", CollectionConverters.asScala(Map.of("lr", lr)));
            if (!diverged) {
                t.put("epochs_done", 2);
                t.put("knn_top1_best", 30.0 + i);
                for (int e = 1; e <= 2; e++) {
                    epochs.add(row(ResultsStore.EPOCHS, Map.of("trial_id", "t" + i, "cell_id", "c" + i, "sweep", "s",
                            "epoch", e, "knn_top1", 30.0 + i)));
                }
            }
            trials.add(row(ResultsStore.TRIALS, t));
        }
        spark.createDataFrame(trials, ResultsStore.TRIALS).createOrReplaceTempView("trials");
        spark.createDataFrame(epochs, ResultsStore.EPOCHS).createOrReplaceTempView("epochs");
        SearchReport report = SearchReport.build(spark).get(0);
        assertThat(report.trials()).isEqualTo(8);
        SearchReport.Effect lr = report.effects().get(0);
        assertThat(lr.cells()).as("the failed cell counts").isEqualTo(8);
        // Up to the divergence higher was better; counted as the worst, the divergence pulls rho below 1.
        assertThat(lr.rho()).isLessThan(0.9).isGreaterThan(0.3);
        assertThat(report.render()).contains("## Search: s (8 trials, 8 sampled cells)");
    }
}
