package dev.augsweep.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.augsweep.data.Dataset;
import org.apache.spark.sql.Row;

/** Aggregates finished trials into cells with Spark SQL, keeping scales apart. */
public final class TrialStats {
    private TrialStats() {
    }

    /**
     * Cells grouped by scale: per dataset (CIFAR-10 first), the scale with the most trials first.
     *
     * @param includeStopped also the cells a halving schedule stopped (each at its rung), beside complete ones
     */
    public static Map<Scale, List<CellStats>> cells(org.apache.spark.sql.Dataset<Row> trials, boolean includeStopped) {
        trials.createOrReplaceTempView("stats_trials");
        List<Row> rows = trials.sparkSession().sql("""
                SELECT epochs, width, train_limit, test_limit, batch_size, release, method, augs, strength,
                       avg(knn_top1_best), stddev_pop(knn_top1_best), count(*),
                       sum(count(*)) OVER (PARTITION BY dataset, epochs, width, train_limit, test_limit, batch_size,
                                                        release) AS total, dataset,
                       CASE WHEN status = 'stopped' THEN epochs_done END AS stopped_at
                FROM stats_trials WHERE status = 'finished' OR (status = 'stopped' AND %s)
                GROUP BY dataset, epochs, width, train_limit, test_limit, batch_size, release, method, augs, strength,
                         CASE WHEN status = 'stopped' THEN epochs_done END
                ORDER BY dataset, total DESC, epochs DESC, width DESC, train_limit DESC, test_limit DESC, batch_size,
                         release
                """.formatted(includeStopped)).collectAsList();
        Map<Scale, List<CellStats>> byScale = new LinkedHashMap<>();
        for (Row r : rows) {
            Scale scale = new Scale(Dataset.of(r.getString(13)), r.getInt(0), r.getDouble(1), r.getInt(2),
                    r.getInt(3), r.getInt(4), r.getInt(5));
            byScale.computeIfAbsent(scale, s -> new ArrayList<>()).add(new CellStats(scale, r.getString(6),
                    r.getString(7), r.getDouble(8), r.getDouble(9), r.getDouble(10), r.getLong(11),
                    r.isNullAt(14) ? null : r.getInt(14)));
        }
        return byScale;
    }
}
