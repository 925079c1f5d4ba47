package dev.augsweep.sweep;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Records finished trials in the results tables on its own thread, in batches: everything that finished while the
 * previous commit ran goes into the next one. The driver keeps polling and printing progress meanwhile; a commit
 * is a Spark job and waits for a free task slot, which trials hold for as long as they train.
 *
 * <p>The committer is the only writer (the driver holds the results directory's lock), so the set of recorded ids
 * it keeps is exact and a trial is appended once however often its outcome arrives.
 */
final class OutcomeCommitter implements AutoCloseable {
    private static final ResultsStore.Finished END = new ResultsStore.Finished(null, null);
    private final ResultsStore store;
    private final String sweep;
    private final String jobFile;
    private final Set<String> recorded;
    private final LinkedBlockingQueue<ResultsStore.Finished> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile RuntimeException failure;

    OutcomeCommitter(ResultsStore store, String sweep, String jobFile, Set<String> recorded) {
        this.store = store;
        this.sweep = sweep;
        this.jobFile = jobFile;
        this.recorded = new HashSet<>(recorded);
        this.thread = new Thread(this::loop, "augsweep-results-commit");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a finished trial; returns at once. */
    void submit(ResultsStore.Finished finished) {
        queue.add(finished);
    }

    private void loop() {
        List<ResultsStore.Finished> batch = new ArrayList<>();
        boolean end = false;
        while (!end) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch);
            end = batch.remove(END);
            Map<String, ResultsStore.Finished> fresh = new LinkedHashMap<>(); // one per trial, also within a batch
            batch.stream().filter(f -> !recorded.contains(f.trial().id()))
                    .forEach(f -> fresh.putIfAbsent(f.trial().id(), f));
            batch.clear();
            if (fresh.isEmpty() || failure != null) {
                continue;
            }
            try {
                store.commit(sweep, jobFile, List.copyOf(fresh.values()));
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
            throw new IllegalStateException("could not record finished trials in the results tables ("
                    + failure.getMessage() + "); their outcomes are safe in trials/<id>/outcome.json and the next "
                    + "run of this sweep records them without training again", failure);
        }
    }
}
