package dev.augsweep.sweep;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Records outcomes in a results table on its own thread, in batches: everything that arrived while the previous
 * commit ran goes into the next one (a Delta commit costs about a second whatever its size, and, being a Spark job,
 * waits for a free task slot, which running units hold). The driver keeps polling and printing meanwhile.
 *
 * <p>The committer is the only writer (the driver holds the results directory's lock), so the set of recorded keys
 * it keeps is exact and an outcome is appended once however often it arrives.
 */
public final class BatchCommitter<R> implements AutoCloseable {
    private static final Object END = new Object();
    private final Function<R, String> key;
    private final Consumer<List<R>> commit;
    private final Set<String> recorded;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile RuntimeException failure;

    /**
     * @param key      what makes an outcome the same one twice (a trial id)
     * @param commit   appends a batch of outcomes the table does not hold
     * @param recorded the keys the table holds already
     */
    public BatchCommitter(Function<R, String> key, Consumer<List<R>> commit, Set<String> recorded) {
        this.key = key;
        this.commit = commit;
        this.recorded = new HashSet<>(recorded);
        this.thread = new Thread(this::loop, "augsweep-results-commit");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues an outcome; returns at once. */
    public void submit(R outcome) {
        queue.add(outcome);
    }

    @SuppressWarnings("unchecked")
    private void loop() {
        List<Object> batch = new ArrayList<>();
        boolean end = false;
        while (!end) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch);
            end = batch.remove(END);
            Map<String, R> fresh = new LinkedHashMap<>(); // one per key, also within a batch
            batch.stream().map(o -> (R) o).filter(o -> !recorded.contains(key.apply(o)))
                    .forEach(o -> fresh.putIfAbsent(key.apply(o), o));
            batch.clear();
            if (fresh.isEmpty() || failure != null) {
                continue;
            }
            try {
                commit.accept(List.copyOf(fresh.values()));
                recorded.addAll(fresh.keySet());
            } catch (RuntimeException e) {
                failure = e; // outcome files stay; the next run records them
            }
        }
    }

    /** Waits until everything submitted is recorded; rethrows a commit's failure. */
    @Override
    public void close() {
        queue.add(END);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording results", e);
        }
        if (failure != null) {
            throw new IllegalStateException("could not record results in the results tables ("
                    + failure.getMessage() + "); what was computed is safe in the results directory's files and "
                    + "the next run records it without computing it again", failure);
        }
    }
}
