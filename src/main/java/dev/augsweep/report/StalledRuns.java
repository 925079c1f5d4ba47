package dev.augsweep.report;

import dev.augsweep.config.Fractions;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;

/**
 * Finished trials whose training loss ended above their first epoch's: a run that stalled or collapsed rather than
 * learned (the loss of every contrastive method here falls while it learns). Its cell's mean and spread include it,
 * so a reader of the tables should know; whether it is the recipe or a defect is for the run's curves to say.
 */
public final class StalledRuns {
    private StalledRuns() {
    }

    /** One warning naming each such trial with its first and last loss and its kNN; none when there is none. */
    public static List<String> warnings(ResultsViews views) {
        if (!views.has("trials")) {
            return List.of();
        }
        List<Row> stalled = views.spark().sql("""
                SELECT method, augs, strength, seed, loss_first_epoch, loss_final_epoch, knn_top1_best
                FROM trials
                WHERE status = 'finished' AND loss_final_epoch > loss_first_epoch
                ORDER BY method, augs, strength, seed
                """).collectAsList();
        if (stalled.isEmpty()) {
            return List.of();
        }
        List<String> runs = stalled.stream().map(r -> String.format(Locale.ROOT, "%s %s%s seed %d (loss %.2f -> %.2f,"
                        + " kNN %.2f)", r.getString(0), r.getString(1), r.getString(1).equals("color")
                        ? " s=" + Fractions.format(r.getDouble(2)) : "", r.getInt(3), r.getDouble(4), r.getDouble(5),
                r.getDouble(6))).toList();
        return List.of("warning: " + stalled.size() + " finished trial(s) ended with a higher training loss than "
                + "their first epoch's, a stalled or collapsed run that their cells' means include: "
                + String.join("; ", runs));
    }
}
