package dev.augsweep.report;

import dev.augsweep.config.Fractions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The quick end-of-run view: per cell (every setting but the seed, by its id) and scale, mean and population std
 * over seeds of each trial's best kNN accuracy, beside the untrained control's mean.
 */
public final class CellSummary {
    private CellSummary() {
    }

    public static String render(Dataset<Row> trials) {
        trials.createOrReplaceTempView("summary_trials");
        List<Row> rows = trials.sparkSession().sql("""
                SELECT epochs, width, train_limit, test_limit, method, augs, strength,
                       avg(knn_top1_best) AS mean, stddev_pop(knn_top1_best) AS std, count(*) AS n, dataset,
                       %s AS cell, avg(knn_top1_init) AS untrained
                FROM summary_trials WHERE status = 'finished'
                GROUP BY dataset, epochs, width, train_limit, test_limit, method, augs, strength, cell
                ORDER BY dataset, epochs, width, train_limit, test_limit, method, augs = 'color', length(augs) DESC,
                         augs, strength, cell
                """.formatted(TrialStats.CELL_ID)).collectAsList();
        if (rows.isEmpty()) {
            return "no finished trials yet\n";
        }
        StringBuilder out = new StringBuilder();
        String scale = null;
        List<List<String>> table = new ArrayList<>();
        for (Row r : rows) {
            String s = String.format(Locale.ROOT, "%s, %d epochs, width %s, %d train / %d test images",
                    r.getString(10), r.getInt(0), r.getDouble(1), r.getInt(2), r.getInt(3));
            if (!s.equals(scale)) {
                flush(out, scale, table);
                scale = s;
                table = new ArrayList<>();
            }
            table.add(List.of(r.getString(4), r.getString(5), Fractions.format(r.getDouble(6)),
                    String.format(Locale.ROOT, "%.2f ± %.2f", r.getDouble(7), r.getDouble(8)),
                    r.isNullAt(12) ? "" : String.format(Locale.ROOT, "%.2f", r.getDouble(12)),
                    Long.toString(r.getLong(9)), r.getString(11)));
        }
        flush(out, scale, table);
        return out.toString();
    }

    private static void flush(StringBuilder out, String scale, List<List<String>> table) {
        if (scale != null) {
            out.append("kNN top-1 (%), mean ± population std over seeds; ").append(scale).append('\n')
                    .append(AsciiTable.render(List.of("method", "augs", "strength", "knn top-1", "untrained", "seeds",
                            "cell"), table))
                    .append('\n');
        }
    }
}
