package dev.augsweep.report;

import dev.augsweep.config.Fractions;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Finished trials whose training loss ended above their first epoch's: a run that stalled or collapsed rather than
 * learned (the loss of every contrastive method here falls while it learns). Its cell's mean and spread include it,
 * so a reader of the tables should know: the trials view notes it in the run's row ({@link #COLUMN}) and
 * {@code tables} warns of it. Whether it is the recipe or a defect is for the run's curves to say.
 */
public final class StalledRuns {
    private StalledRuns() {
    }

    /** The trials view's column that notes such a run in its row (null for every other trial). */
    public static final String COLUMN = "run_note";

    /** {@code trials} with {@link #COLUMN}: "stalled: loss rose over the run (6.94 -> 7.15)" where it did. */
    static Dataset<Row> noted(Dataset<Row> trials) {
        Column rose = trials.col("status").equalTo("finished")
                .and(trials.col("loss_final_epoch").gt(trials.col("loss_first_epoch")));
        return trials.withColumn(COLUMN, functions.when(rose, functions.format_string(
                "stalled: loss rose over the run (%.2f -> %.2f)", trials.col("loss_first_epoch"),
                trials.col("loss_final_epoch"))));
    }

    /** One warning naming each such trial with its first and last loss and its kNN; none when there is none. */
    public static List<String> warnings(ResultsViews views) {
        if (!views.has("trials")) {
            return List.of();
        }
        List<Row> stalled = views.spark().sql("""
                SELECT method, augs, strength, seed, loss_first_epoch, loss_final_epoch, knn_top1_best
                FROM trials
                WHERE run_note IS NOT NULL
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
