package dev.augsweep.driver;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.function.Function;

/**
 * What a {@link SweepDriver} runs: units of work (a trial or a segment of one; a block of a measure), one Spark job
 * each, and what follows from each outcome. The driver owns the results directory's lock, the Spark session,
 * submission, polling and the heartbeat; a workload owns its tables (recording outcomes exactly once, in batches
 * on its committer), its progress lines, and its schedule: an outcome may call for more units.
 *
 * @param <U> a unit of work, shipped to an executor
 * @param <O> its outcome, shipped back
 */
public interface Workload<U extends Serializable, O extends Serializable> extends AutoCloseable {
    /** The units to run first, after recording what earlier drivers left. */
    List<U> start();

    /** How the Spark UI names the unit's job. */
    String describe(U unit);

    /** What an executor runs for one unit. */
    Function<U, O> task();

    /** The outcome of a unit whose Spark job failed for good (its task failed every attempt). */
    O failedForGood(U unit, String reason);

    /** The driver submitted the unit's job (it may still queue for a task slot). */
    default void submitted(U unit) {
    }

    /**
     * More units, asked for when a slot is free and no unit waits (a search that proposes as results arrive); none
     * once there are no more. The units an outcome calls for ({@link #arrived}) run before these.
     */
    default List<U> next() {
        return List.of();
    }

    /** The unit's task began on an executor of {@code host} (its first attempt; said once). */
    default void started(U unit, String host) {
    }

    /** A unit's outcome arrived: report and record it; returns the units it calls for (none usually). */
    List<U> arrived(U unit, O outcome);

    /** A progress line: units done, running, failed, elapsed, ETA. */
    void status(int running);

    /** Waits until every outcome is recorded. */
    @Override
    void close();
}
