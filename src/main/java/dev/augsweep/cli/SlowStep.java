package dev.augsweep.cli;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A step of a command that may take a while: if it is still running after {@link #THRESHOLD_MS} (2 s; the system
 * property {@code augsweep.slow-step-ms} changes it), one line on stderr says what it is doing ("tables: starting
 * Spark to read ..."), so that a user never watches a silent terminal; a quick step says nothing. Stdout stays the
 * answer alone, for pipes.
 */
final class SlowStep implements AutoCloseable {
    static final long THRESHOLD_MS = 2_000;
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "augsweep-slow-step");
        t.setDaemon(true);
        return t;
    });

    private final ScheduledFuture<?> notice;

    private SlowStep(PrintStream err, String what) {
        long after = Long.getLong("augsweep.slow-step-ms", THRESHOLD_MS);
        notice = TIMER.schedule(() -> err.println(what + " ..."), after, TimeUnit.MILLISECONDS);
    }

    /** Starts timing a step; closing it before the threshold keeps it silent. */
    static SlowStep start(String what) {
        return new SlowStep(System.err, what);
    }

    static SlowStep start(PrintStream err, String what) {
        return new SlowStep(err, what);
    }

    @Override
    public void close() {
        notice.cancel(false);
    }
}
