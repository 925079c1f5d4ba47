package dev.augsweep.results;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Records outcomes in a results table on its own thread, in batches: everything that arrived while the previous
 * commit ran goes into the next one (a Delta commit costs about a second whatever its size, and, being a Spark job,
 * waits for a free task slot, which running units hold). The driver keeps polling and printing meanwhile.
 *
 * <p>A commit that fails is said at once, with its cause, and retried with the outcomes that arrive meanwhile,
 * after a back-off that doubles up to a minute; nothing is dropped, and {@link #unrecorded()} says how far the
 * tables lag. At the end a failing commit gets {@value #RETRIES_AT_END} more tries before {@link #close()} gives up
 * (the outcome files stay, and the next run records them without computing them again).
 *
 * <p>A commit refused by the writer's {@link CommitGuard} (another driver took the results over), or one that fails
 * after Spark was stopped (Ctrl-C), ends the committer at once: nothing more is committed, and {@link #close()} says
 * so. Spark's failures come as its checked SparkException too (thrown from Scala): they are failed commits like any.
 *
 * <p>The committer skips the keys it knows are recorded (those the tables held at the start, and its own commits),
 * so a retried task's outcome costs no commit; the commit itself inserts only absent keys, which keeps the tables
 * exact where another writer got there first.
 */
public final class BatchCommitter<R> implements AutoCloseable {
    static final int RETRIES_AT_END = 3;
    private static final long MAX_BACKOFF_MS = 60_000;
    private static final Object END = new Object();
    private final Function<R, String> key;
    private final Consumer<List<R>> commit;
    private final Set<String> recorded;
    private final PrintStream log;
    private final BooleanSupplier sparkStopped;
    private final long firstBackoffMs;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile int unrecorded;
    private volatile Throwable failure;

    /**
     * @param key      what makes an outcome the same one twice (a trial id)
     * @param commit   records a batch of outcomes (inserting only those the table does not hold)
     * @param recorded the keys the table holds already
     * @param log      where a failed commit is said
     * @param sparkStopped whether the session the commits run on was stopped (no retry can succeed then)
     */
    public BatchCommitter(Function<R, String> key, Consumer<List<R>> commit, Set<String> recorded, PrintStream log,
                          BooleanSupplier sparkStopped) {
        this(key, commit, recorded, log, sparkStopped, 2_000);
    }

    BatchCommitter(Function<R, String> key, Consumer<List<R>> commit, Set<String> recorded, PrintStream log,
                   BooleanSupplier sparkStopped, long firstBackoffMs) {
        this.key = key;
        this.commit = commit;
        this.recorded = new HashSet<>(recorded);
        this.log = log;
        this.sparkStopped = sparkStopped;
        this.firstBackoffMs = firstBackoffMs;
        this.thread = new Thread(this::loop, "augsweep-results-commit");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues an outcome; returns at once. */
    public void submit(R outcome) {
        queue.add(outcome);
    }

    /** Outcomes submitted but not yet in the table because commits failed (0 while they succeed). */
    public int unrecorded() {
        return unrecorded;
    }

    @SuppressWarnings("unchecked")
    private void loop() {
        Map<String, R> pending = new LinkedHashMap<>(); // one per key, across batches and failed commits
        List<Object> arrived = new ArrayList<>();
        boolean end = false;
        int failedAtEnd = 0;
        long backoff = firstBackoffMs;
        long nextTry = 0;
        while (true) {
            try {
                long wait = nextTry - System.currentTimeMillis();
                Object first = end ? null : pending.isEmpty() ? queue.take()
                        : queue.poll(Math.max(0, wait), TimeUnit.MILLISECONDS);
                if (end && wait > 0) {
                    Thread.sleep(wait);
                }
                if (first != null) {
                    arrived.add(first);
                }
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(arrived);
            end |= arrived.remove(END);
            arrived.stream().map(o -> (R) o).filter(o -> !recorded.contains(key.apply(o)))
                    .forEach(o -> pending.putIfAbsent(key.apply(o), o));
            arrived.clear();
            if (pending.isEmpty()) {
                if (end) {
                    return;
                }
                continue;
            }
            if (System.currentTimeMillis() < nextTry) {
                continue; // backing off: what arrived waits for the next try
            }
            try {
                commit.accept(List.copyOf(pending.values()));
                recorded.addAll(pending.keySet());
                pending.clear();
                unrecorded = 0;
                failure = null;
                backoff = firstBackoffMs;
                nextTry = 0;
            } catch (VirtualMachineError e) {
                failure = e;
                return;
            } catch (CommitGuard.Refused e) { // another driver holds the results now: it records these from their files
                failure = e;
                unrecorded = pending.size();
                log.printf(Locale.ROOT, "[sweep] not recording %d outcome(s): %s; they are safe in the results "
                        + "directory's files, and the driver that holds it records them%n", pending.size(), e.getMessage());
                return;
            } catch (Exception | Error e) { // Exception: Spark's SparkException is checked, though undeclared here
                failure = e;
                unrecorded = pending.size();
                if (sparkStopped.getAsBoolean()) {
                    log.printf(Locale.ROOT, "[sweep] Spark was shut down: %d outcome(s) not recorded in the results "
                            + "tables; they are safe in the results directory's files, and the next run records them%n",
                            pending.size());
                    return;
                }
                if (end && ++failedAtEnd > RETRIES_AT_END) {
                    return;
                }
                log.printf(Locale.ROOT, "[sweep] could not record %d outcome(s) in the results tables (%s); they are "
                        + "safe in the results directory's files, retrying in %d s%n", pending.size(), e, backoff / 1000);
                nextTry = System.currentTimeMillis() + backoff;
                backoff = Math.min(2 * backoff, MAX_BACKOFF_MS);
            }
        }
    }

    /** Waits until everything submitted is recorded; rethrows the last commit's failure if it never succeeded. */
    @Override
    public void close() {
        queue.add(END);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording results", e);
        }
        Throwable f = failure;
        if (f != null) {
            throw new IllegalStateException("could not record results in the results tables (" + f.getMessage()
                    + "); what was computed is safe in the results directory's files and the next run records it "
                    + "without computing it again", f);
        }
    }
}
