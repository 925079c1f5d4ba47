package dev.augsweep.report;

import dev.augsweep.config.Fractions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;

/**
 * Where a table's numbers were computed: libtorch's kernels differ by CPU and instruction set, so a cell whose seeds
 * ran on different machines or kernels (or one trial resumed on others) compares less like with like than its interval
 * says. Read from the epochs each trial recorded (cpu_model, kernels).
 */
public final class Provenance {
    private Provenance() {
    }

    /** One warning per finished cell that mixes machines or kernels, and one line for trials that did not say. */
    public static List<String> warnings(ResultsViews views) {
        if (!views.has("trials") || !views.has("epochs")) {
            return List.of();
        }
        views.trials().createOrReplaceTempView("provenance_trials");
        views.epochs().createOrReplaceTempView("provenance_epochs");
        List<Row> cells = views.spark().sql("""
                SELECT t.cell, first(t.method) AS method, first(t.augs) AS augs, first(t.strength) AS strength,
                       count(DISTINCT e.cpu_model) AS models, count(DISTINCT e.kernels) AS kernels,
                       sort_array(collect_set(e.cpu_model)) AS model_names, sort_array(collect_set(e.kernels)) AS kernel_names,
                       count(DISTINCT CASE WHEN e.kernels IS NULL AND e.epoch > 0 THEN t.trial_id END) AS unrecorded,
                       count(DISTINCT t.trial_id) AS trials
                FROM (SELECT *, %s AS cell FROM provenance_trials WHERE status = 'finished') t
                JOIN provenance_epochs e ON e.trial_id = t.trial_id AND e.epoch > 0
                GROUP BY t.cell ORDER BY method, augs, strength, t.cell
                """.formatted(TrialStats.CELL_ID)).collectAsList();
        List<String> lines = new ArrayList<>();
        long unrecorded = 0;
        for (Row r : cells) {
            unrecorded += r.getLong(8);
            List<String> mixed = new ArrayList<>();
            if (r.getLong(4) > 1) {
                mixed.add("machines (" + String.join(", ", r.<String>getList(6)) + ")");
            }
            if (r.getLong(5) > 1) {
                mixed.add("kernels (" + String.join(", ", r.<String>getList(7)) + ")");
            }
            if (!mixed.isEmpty()) {
                lines.add(String.format(Locale.ROOT, "warning: cell %s %s%s mixes %s across its %d trials' epochs; "
                                + "filter on cpu_model or kernels (epochs) to compare like with like", r.getString(1),
                        r.getString(2), r.getString(2).equals("color") ? " s=" + Fractions.format(r.getDouble(3)) : "",
                        String.join(" and ", mixed), r.getLong(9)));
            }
        }
        if (unrecorded > 0) {
            lines.add("note: " + unrecorded + " finished trial(s) did not record the machine and kernels of their "
                    + "epochs (recorded before augsweep kept them), so a mix among them cannot be seen");
        }
        return lines;
    }
}
