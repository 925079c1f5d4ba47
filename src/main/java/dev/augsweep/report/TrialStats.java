package dev.augsweep.report;

import com.typesafe.config.ConfigFactory;
import dev.augsweep.data.Dataset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;

/**
 * Aggregates finished trials into cells with Spark SQL. A cell is every setting of a trial but its seed (its
 * {@code cell_id}), so two runs that differ in any setting (an lr axis, a kNN k rerun) never blend. Cells are
 * grouped by scale; where cells of one table row (method, augmentations, strength) still differ in some setting,
 * that setting names a variant of the scale, and each variant is a table of its own.
 */
public final class TrialStats {
    /** Settings that a scale or a table row already tells apart, so never a variant. */
    private static final Set<String> SHOWN = Set.of("dataset", "method", "augs", "strength", "release", "epochs",
            "batch_size", "width", "train_limit", "test_limit");

    private TrialStats() {
    }

    /** Trials recorded before cells had ids: their cell is what their recorded columns say. */
    static final String CELL_ID = "coalesce(cell_id, concat(method, '-', augs, '-legacy-', substr(sha2(concat_ws('|', "
            + "dataset, method, augs, strength, release, epochs, batch_size, width, train_limit, test_limit, lr), 256), "
            + "1, 10)))";

    /**
     * Cells grouped by scale: per dataset (CIFAR-10 first), the scale with the most trials first, its variants
     * in the order of their names.
     *
     * @param includeStopped also the cells a halving schedule stopped (each at its rung), beside complete ones
     */
    public static Map<Scale, List<CellStats>> cells(org.apache.spark.sql.Dataset<Row> trials, boolean includeStopped) {
        trials.createOrReplaceTempView("stats_trials");
        List<Row> rows = trials.sparkSession().sql("""
                SELECT epochs, width, train_limit, test_limit, batch_size, release, method, augs, strength,
                       cell, cell_settings,
                       collect_list(named_struct('seed', seed, 'best', knn_top1_best, 'init', knn_top1_init)) AS seeds,
                       sum(count(*)) OVER (PARTITION BY dataset, epochs, width, train_limit, test_limit, batch_size,
                                                        release) AS total, dataset, stopped_at
                FROM (SELECT *, %s AS cell, coalesce(settings, to_json(named_struct('lr', lr))) AS cell_settings,
                             CASE WHEN status = 'stopped' THEN epochs_done END AS stopped_at
                      FROM stats_trials WHERE status = 'finished' OR (status = 'stopped' AND %s))
                GROUP BY dataset, epochs, width, train_limit, test_limit, batch_size, release, method, augs, strength,
                         cell, cell_settings, stopped_at
                ORDER BY dataset, total DESC, epochs DESC, width DESC, train_limit DESC, test_limit DESC, batch_size,
                         release, cell
                """.formatted(CELL_ID, includeStopped)).collectAsList();
        Map<Scale, List<Row>> byBase = new LinkedHashMap<>();
        for (Row r : rows) {
            Scale base = new Scale(Dataset.of(r.getString(13)), r.getInt(0), r.getDouble(1), r.getInt(2),
                    r.getInt(3), r.getInt(4), r.getInt(5), "");
            byBase.computeIfAbsent(base, s -> new ArrayList<>()).add(r);
        }
        Map<Scale, List<CellStats>> byScale = new LinkedHashMap<>();
        byBase.forEach((base, cells) -> {
            Map<String, Map<String, Object>> settings = new HashMap<>();
            cells.forEach(r -> settings.put(r.getString(9), settings(r.getString(10))));
            Set<String> axes = axes(cells, settings);
            Map<String, List<CellStats>> variants = new TreeMap<>();
            for (Row r : cells) {
                String variant = variant(axes, settings.get(r.getString(9)));
                variants.computeIfAbsent(variant, v -> new ArrayList<>()).add(cell(base.withVariant(variant), r));
            }
            variants.forEach((v, c) -> byScale.put(base.withVariant(v), c));
        });
        return byScale;
    }

    private static CellStats cell(Scale scale, Row r) {
        Map<Integer, Double> best = new TreeMap<>();
        Map<Integer, Double> init = new TreeMap<>();
        for (Row s : r.<Row>getList(11)) {
            if (!s.isNullAt(1)) {
                best.put(s.getInt(0), s.getDouble(1));
            }
            if (!s.isNullAt(2)) {
                init.put(s.getInt(0), s.getDouble(2));
            }
        }
        return new CellStats(scale, r.getString(9), r.getString(6), r.getString(7), r.getDouble(8), best, init,
                r.isNullAt(14) ? null : r.getInt(14));
    }

    /** The settings in which two cells of one table row differ: what a variant is named by. */
    private static Set<String> axes(List<Row> cells, Map<String, Map<String, Object>> settings) {
        Map<String, List<Map<String, Object>>> byRow = new HashMap<>();
        for (Row r : cells) {
            byRow.computeIfAbsent(r.getString(6) + "|" + r.getString(7) + "|" + r.getDouble(8),
                    k -> new ArrayList<>()).add(settings.get(r.getString(9)));
        }
        Set<String> axes = new TreeSet<>();
        for (List<Map<String, Object>> same : byRow.values()) {
            for (Map<String, Object> s : same) {
                for (String key : s.keySet()) {
                    if (!SHOWN.contains(key) && !Objects.equals(String.valueOf(s.get(key)),
                            String.valueOf(same.get(0).get(key)))) {
                        axes.add(key);
                    }
                }
            }
        }
        return axes;
    }

    private static String variant(Set<String> axes, Map<String, Object> settings) {
        List<String> parts = new ArrayList<>();
        axes.forEach(a -> parts.add(a + "=" + settings.get(a)));
        return String.join(", ", parts);
    }

    /** A trial's recorded settings; those recorded before precision was one trained in fp32. */
    private static Map<String, Object> settings(String json) {
        Map<String, Object> s = new HashMap<>(json == null ? Map.of() : ConfigFactory.parseString(json).root()
                .unwrapped());
        s.putIfAbsent("precision", "fp32");
        return s;
    }
}
