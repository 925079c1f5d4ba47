package dev.augsweep.ui;

import dev.augsweep.report.ResultsViews;
import dev.augsweep.results.ConcentrationTable;
import dev.augsweep.results.EpochRows;
import dev.augsweep.storage.StorePath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * Finished results served by {@code augsweep serve}: the trials and epochs read once, when the server starts (one
 * Spark read each, then every request answers from memory), and the reports computed once, on a thread of their own
 * from the start (a request for them waits until they are there).
 */
final class ServedResults implements DashboardSource {
    private final ResultsViews views;
    private final Snapshot snapshot;
    private final Map<String, EpochRows> epochs;
    private final java.util.concurrent.CompletableFuture<Reports> reports = new java.util.concurrent.CompletableFuture<>();

    ServedResults(ResultsViews views) {
        this.views = views;
        List<Map<String, Object>> rows = new ArrayList<>();
        if (views.has("trials")) {
            for (Row r : views.trials().collectAsList()) {
                rows.add(java.util.Collections.unmodifiableMap(Rows.map(r)));
            }
        }
        Map<String, List<Map<String, Object>>> byTrial = new HashMap<>();
        if (views.has("epochs")) {
            for (Row r : views.epochs().select("trial_id", EpochRows.COLUMNS.toArray(String[]::new)).collectAsList()) {
                byTrial.computeIfAbsent(r.getString(0), id -> new ArrayList<>()).add(Rows.map(r));
            }
        }
        epochs = new HashMap<>(byTrial.size() * 2);
        byTrial.forEach((id, list) -> epochs.put(id, EpochRows.of(list)));
        boolean concentration = views.has(ConcentrationTable.TABLE)
                && !views.spark().table(ConcentrationTable.TABLE).isEmpty();
        snapshot = Snapshot.of(0, rows, null, views.dirs().stream().map(StorePath::toString).toList(), false, null,
                null, null, null, Map.of(), concentration);
        Thread t = new Thread(() -> {
            try {
                reports.complete(Reports.of(views));
            } catch (Throwable e) { // whatever it is (Spark's checked exceptions too), a request waits for no answer
                reports.completeExceptionally(e);
            }
        }, "augsweep-dashboard-reports");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public Snapshot snapshot() {
        return snapshot;
    }

    @Override
    public EpochRows epochs(String trialId) {
        return epochs.getOrDefault(trialId, EpochRows.NONE);
    }

    @Override
    public Reports reports() {
        try {
            return reports.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the tables could not be computed: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    @Override
    public void close() {
        views.close();
    }
}
