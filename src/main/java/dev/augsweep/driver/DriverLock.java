package dev.augsweep.driver;

import dev.augsweep.results.CommitGuard;
import dev.augsweep.results.ResultsLayout;
import java.io.IOException;
import java.io.Serializable;

/**
 * One driver per results directory: two would train the same trials twice. The tables stay right without it
 * (ResultsStore inserts by MERGE); it is what saves the GPU-hours. A file lock where the results are on a
 * local or shared disk (the operating system's, which no one else can hold while this driver lives), a lease with a
 * heartbeat, fenced by generations, on HDFS and object stores, which have no locks ({@link DriverLease}).
 */
public interface DriverLock extends AutoCloseable {
    static DriverLock acquire(ResultsLayout layout) {
        return acquire(layout, false);
    }

    /**
     * @param unfencedLease whether the user accepts a lease that cannot fence on a store without exclusive create
     *                      ({@link DriverLease#UNFENCED}: they run one driver at a time there)
     */
    static DriverLock acquire(ResultsLayout layout, boolean unfencedLease) {
        return layout.root().isLocal() ? FileDriverLock.acquire(layout) : DriverLease.acquire(layout, unfencedLease);
    }

    /** Throws {@link ResultsBusyException} once this driver is known to have lost the lock. */
    default void check() {
    }

    /** As {@link #check}, after asking the store afresh where the last word is not recent. */
    default void confirm() {
    }

    /** What a commit to the results tables checks first: that this driver still holds the results directory. */
    default CommitGuard commitGuard() {
        return CommitGuard.NONE;
    }

    /** What a unit's task checks before it starts, on its executor; null where nothing can be lost. */
    default Fence fence() {
        return null;
    }

    /** A check that the driver of a unit still holds the lock, run on the executor before the unit starts. */
    interface Fence extends Serializable {
        /** Throws {@link ResultsBusyException} when the driver no longer holds it. */
        void check();
    }

    @Override
    void close() throws IOException;
}
