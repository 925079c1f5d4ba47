package dev.augsweep.ui;

import dev.augsweep.report.ResultsViews;
import dev.augsweep.results.EpochRows;
import dev.augsweep.sweep.LiveSweep;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.SparkSession;

/**
 * A running sweep's pages: the trials from the driver's {@link LiveSweep} (no Spark job, no file read per request),
 * the reports from the results tables on the driver's own Spark session, computed on a thread of their own when
 * trials have ended since the last computation, at most every {@link #REPORTS_MS}; a request meanwhile gets the last
 * ones.
 */
final class LiveResults implements DashboardSource {
    /** The reports are computed again at most this often while trials end. */
    static final long REPORTS_MS = 10_000;
    /** How long the first request for the reports waits for them. */
    private static final long FIRST_WAIT_S = 120;

    private final LiveSweep live;
    private final ExecutorService reporter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "augsweep-dashboard-reports");
        t.setDaemon(true);
        return t;
    });
    private Snapshot snapshot;
    private Reports reports;
    private int reportedAt = -1;
    private long reportStarted;
    private CompletableFuture<Reports> computing;

    LiveResults(LiveSweep live) {
        this.live = live;
    }

    @Override
    public synchronized Snapshot snapshot() {
        LiveSweep.Snapshot s = live.snapshot();
        if (snapshot == null || snapshot.version() != s.version()) {
            snapshot = Snapshot.of(s.version(), s.rows(), s.sweep(), s.results(), s.live(), s.startedAtMillis(),
                    s.finishedAtMillis(), s.etaSeconds(), s.schedule(), s.pausedAt(),
                    reports != null && !reports.concentration().isEmpty());
        }
        return snapshot;
    }

    @Override
    public EpochRows epochs(String trialId) {
        return live.epochs(trialId);
    }

    @Override
    public Reports reports() {
        CompletableFuture<Reports> pending;
        synchronized (this) {
            int ended = live.snapshot().ended();
            long now = System.currentTimeMillis();
            SparkSession spark = live.spark();
            boolean stale = ended != reportedAt && now - reportStarted >= REPORTS_MS;
            if (spark != null && computing == null && (reports == null || stale)) {
                reportedAt = ended;
                reportStarted = now;
                computing = CompletableFuture.supplyAsync(() -> compute(spark), reporter);
                computing.whenComplete((r, e) -> done(r));
            }
            if (reports != null || computing == null) {
                return reports != null ? reports : Reports.NONE;
            }
            pending = computing;
        }
        try {
            return pending.get(FIRST_WAIT_S, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the tables are still being computed; try again in a moment");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the tables could not be computed: " + e.getCause().getMessage(), e);
        }
    }

    private synchronized void done(Reports r) {
        if (r != null) {
            reports = r;
        }
        computing = null;
        snapshot = null; // the concentration flag may have changed
    }

    private Reports compute(SparkSession spark) {
        try (ResultsViews views = ResultsViews.openIn(spark, List.of(live.resultsDir()))) {
            return Reports.of(views);
        }
    }

    @Override
    public void close() {
        reporter.shutdownNow();
    }
}
