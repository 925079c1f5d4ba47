package dev.augsweep.sweep;

import java.io.IOException;

/**
 * One driver per results directory: two would train the same trials twice. A courtesy that turns the second away
 * early; the tables stay right without it ({@link ResultsStore} inserts by MERGE). A file lock where the results
 * are on a local or shared disk, a lease with a heartbeat on HDFS and object stores, which have no locks.
 */
interface DriverLock extends AutoCloseable {
    static DriverLock acquire(ResultsLayout layout) {
        return layout.root().isLocal() ? FileDriverLock.acquire(layout) : DriverLease.acquire(layout);
    }

    @Override
    void close() throws IOException;
}
