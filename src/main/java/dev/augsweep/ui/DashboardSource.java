package dev.augsweep.ui;

import dev.augsweep.results.EpochRows;

/** Where the pages' data comes from: a running sweep's driver ({@link LiveResults}) or finished results ({@link ServedResults}). */
interface DashboardSource extends AutoCloseable {
    /** The trials now (the same object while nothing changes: cheap to ask at every poll). */
    Snapshot snapshot();

    /** A trial's epochs, in epoch order (none for an unknown or pending trial). */
    EpochRows epochs(String trialId);

    /** The tables, searches and concentration rows, by the report code (cached: computed when the results change). */
    Reports reports();

    @Override
    default void close() {
    }
}
