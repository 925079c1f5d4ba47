package dev.augsweep.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.results.ResultsStore;
import dev.augsweep.results.SparkSessions;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The end-of-run table names what a search sampled for each cell (the grid's columns alone show every cell of a
 * search alike), and a grid's run keeps its table as it was.
 */
class CellSummaryTest {
    @Test
    void aSearchsCellsShowTheirSampledPointAndAGridsDoNot() {
        SparkSession spark = SparkSessions.create("summary", "local[1]", Map.of("spark.ui.enabled", "false"));
        try {
            String cells = """
                    SELECT 'finished' AS status, 'cifar10' AS dataset, 2 AS epochs, 0.125D AS width, 64 AS train_limit,
                      32 AS test_limit, 'simclr' AS method, 'abcde' AS augs, 1.0D AS strength, cell_id, seed,
                      knn AS knn_top1_best, 20.0D AS knn_top1_init, %s
                    FROM VALUES ('c1', 0, 30.0D, 0.0316D), ('c1', 1, 32.0D, 0.0316D), ('c2', 0, 25.0D, 0.3D)
                      AS t(cell_id, seed, knn, lr)
                    """;
            String searched = render(spark, cells.formatted("map('lr', lr) AS sampled, "
                    + "map('optimizer', 'sgd') AS sampled_choices"));
            assertThat(searched).contains("sampled").contains("lr=0.03160 optimizer=sgd").contains("lr=0.3000")
                    .contains("31.00 ± 1.00");
            String grid = render(spark, cells.formatted("CAST(NULL AS map<string, double>) AS sampled"));
            assertThat(grid).doesNotContain("sampled").contains("31.00 ± 1.00").contains("25.00 ± 0.00");
        } finally {
            spark.stop();
        }
    }

    private static String render(SparkSession spark, String sql) {
        return CellSummary.render(CsvTables.withSchema(spark.sql(sql), ResultsStore.TRIALS));
    }
}
