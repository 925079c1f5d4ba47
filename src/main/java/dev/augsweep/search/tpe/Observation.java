package dev.augsweep.search.tpe;

/**
 * Where a trial stands, as TPE needs it. Scores are to be maximised (augsweep maximises kNN accuracy); TPE ranks
 * trials as Optuna 3.1 does with {@code direction="maximize"}: complete trials by score, then pruned trials (further
 * along first, then by their last reported value), then pruned trials that reported nothing; running trials only
 * count under the constant liar, as the worst of all.
 */
public sealed interface Observation {
    /** A finished trial and its score. A NaN score counts as failed (Optuna stores such a trial as FAIL). */
    record Complete(double score) implements Observation {
    }

    /**
     * A trial stopped early after reporting {@code lastValue} (a score, maximised) at {@code lastStep}, its largest
     * reported step. A NaN value ranks as the worst at that step.
     */
    record Pruned(long lastStep, double lastValue) implements Observation {
    }

    /** A trial stopped before it reported anything. */
    record PrunedUnreported() implements Observation {
    }

    /** A trial still in flight: its values are known, its score not yet (the constant liar treats it as worst). */
    record Running() implements Observation {
    }

    /** A trial that broke: ignored entirely, as Optuna ignores FAIL trials. */
    record Failed() implements Observation {
    }

    Observation RUNNING = new Running();
    Observation FAILED = new Failed();
    Observation PRUNED_UNREPORTED = new PrunedUnreported();
}
