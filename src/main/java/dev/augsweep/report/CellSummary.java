package dev.augsweep.report;

import dev.augsweep.config.Fractions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The quick end-of-run view: per cell (every setting but the seed, by its id) and scale, mean and population std
 * over seeds of each trial's best kNN accuracy, beside the untrained control's mean; for a search's cells also the
 * point it sampled (the settings the grid's columns do not show).
 */
public final class CellSummary {
    private CellSummary() {
    }

    public static String render(Dataset<Row> trials) {
        trials.createOrReplaceTempView("summary_trials");
        List<Row> rows = trials.sparkSession().sql("""
                SELECT epochs, width, train_limit, test_limit, method, augs, strength,
                       avg(knn_top1_best) AS mean, stddev_pop(knn_top1_best) AS std, count(*) AS n, dataset,
                       %s AS cell, avg(knn_top1_init) AS untrained, first(sampled, true) AS sampled,
                       first(sampled_choices, true) AS choices
                FROM summary_trials WHERE status = 'finished'
                GROUP BY dataset, epochs, width, train_limit, test_limit, method, augs, strength, cell
                ORDER BY dataset, epochs, width, train_limit, test_limit, method, augs = 'color', length(augs) DESC,
                         augs, strength, cell
                """.formatted(TrialStats.CELL_ID)).collectAsList();
        if (rows.isEmpty()) {
            return "no finished trials yet\n";
        }
        boolean searched = rows.stream().anyMatch(r -> !point(r).isEmpty());
        StringBuilder out = new StringBuilder();
        String scale = null;
        List<List<String>> table = new ArrayList<>();
        for (Row r : rows) {
            String s = String.format(Locale.ROOT, "%s, %d epochs, width %s, %d train / %d test images",
                    r.getString(10), r.getInt(0), r.getDouble(1), r.getInt(2), r.getInt(3));
            if (!s.equals(scale)) {
                flush(out, scale, table, searched);
                scale = s;
                table = new ArrayList<>();
            }
            List<String> row = new ArrayList<>(List.of(r.getString(4), r.getString(5),
                    Fractions.format(r.getDouble(6)), String.format(Locale.ROOT, "%.2f ± %.2f", r.getDouble(7), r.getDouble(8)),
                    r.isNullAt(12) ? "" : String.format(Locale.ROOT, "%.2f", r.getDouble(12)),
                    Long.toString(r.getLong(9)), r.getString(11)));
            if (searched) {
                row.add(point(r));
            }
            table.add(row);
        }
        flush(out, scale, table, searched);
        return out.toString();
    }

    /** "lr=0.0316 temperature=0.2": the cell's sampled numbers and words by name; empty for a grid's cell. */
    private static String point(Row r) {
        java.util.Map<String, String> point = new java.util.TreeMap<>();
        if (!r.isNullAt(13)) {
            r.<String, Double>getJavaMap(13).forEach((k, v) -> point.put(k, String.format(Locale.ROOT, "%.4g", v)));
        }
        if (!r.isNullAt(14)) {
            point.putAll(r.<String, String>getJavaMap(14));
        }
        return String.join(" ", point.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    private static void flush(StringBuilder out, String scale, List<List<String>> table, boolean searched) {
        if (scale != null) {
            List<String> header = new ArrayList<>(List.of("method", "augs", "strength", "knn top-1", "untrained",
                    "seeds", "cell"));
            if (searched) {
                header.add("sampled");
            }
            out.append("kNN top-1 (%), mean ± population std over seeds; ").append(scale).append('\n')
                    .append(AsciiTable.render(header, table)).append('\n');
        }
    }
}
