package dev.augsweep.sweep;

import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.report.CellSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The driver: claims the results directory, records what earlier runs left, submits one Spark job per trial still
 * to do (so the UI names each trial), and commits each outcome to the results tables the moment it arrives.
 */
public final class SweepRunner {
    private static final long HEARTBEAT_MS = 60_000;

    /** How to run: where results go, which Spark master, extra Spark settings, whether failed trials rerun. */
    public record Options(Path results, String master, Map<String, String> sparkSettings, boolean retryFailed) {
    }

    /** What a run leaves: counts, and the summary table it printed. */
    public record Summary(int total, int finished, int failed, int ranThisRun, String table) {
    }

    private final PrintStream out;

    public SweepRunner(PrintStream out) {
        this.out = out;
    }

    public Summary run(SweepJob job, Options options) {
        ResultsLayout layout = new ResultsLayout(options.results());
        checkData(job);
        try (DriverLock lock = DriverLock.acquire(layout)) {
            JobMarker.claim(layout, job);
            SparkSession spark = SparkSessions.create("augsweep " + job.name(), options.master(),
                    options.sparkSettings());
            try {
                return run(job, options, layout, spark);
            } finally {
                spark.stop();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Summary run(SweepJob job, Options options, ResultsLayout layout, SparkSession spark) {
        ResultsStore store = new ResultsStore(spark, layout);
        store.open();
        Map<String, TrialConfig> byId = new LinkedHashMap<>();
        job.trials().forEach(t -> byId.put(t.id(), t));
        recover(store, layout, job, byId);
        Map<String, String> recorded = store.recorded();
        if (options.retryFailed()) {
            List<String> failed = byId.keySet().stream()
                    .filter(id -> TrialOutcome.FAILED.equals(recorded.get(id))).toList();
            store.forget(failed);
            failed.forEach(id -> deleteOutcome(layout.trialDir(id)));
            failed.forEach(recorded::remove);
        }
        List<TrialConfig> todo = job.trials().stream().filter(t -> !recorded.containsKey(t.id())).toList();
        int finishedBefore = (int) byId.keySet().stream().filter(id -> TrialOutcome.FINISHED.equals(recorded.get(id))).count();
        int failedBefore = (int) byId.keySet().stream().filter(id -> TrialOutcome.FAILED.equals(recorded.get(id))).count();
        long resuming = todo.stream().filter(t -> Files.exists(layout.trialDir(t.id()).resolve("checkpoint.bin"))).count();
        out.printf("[sweep] %s: %d trials; %d finished earlier, %d failed earlier%s, %d to run (%d resume from "
                        + "checkpoints); results in %s%n", job.name(), job.trials().size(), finishedBefore, failedBefore,
                failedBefore > 0 && !options.retryFailed() ? " (skipped; --retry-failed runs them again)" : "",
                todo.size(), resuming, layout.root());

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Map<JavaFutureAction<List<TrialOutcome>>, TrialConfig> pending = new LinkedHashMap<>();
        TrialTask task = new TrialTask(layout.root());
        for (TrialConfig t : todo) {
            jsc.setJobDescription("trial " + t.id());
            jsc.setCallSite("trial " + t.id() + " (" + t.method() + " augs=" + t.augs() + " seed " + t.seed() + ")");
            pending.put(jsc.parallelize(List.of(t), 1).map(task).collectAsync(), t);
        }
        SweepProgress progress = new SweepProgress(out, job.trials().size(), finishedBefore, failedBefore, todo.size());
        long lastStatus = System.currentTimeMillis();
        while (!pending.isEmpty()) {
            for (var entry : new ArrayList<>(pending.entrySet())) {
                TrialOutcome outcome = poll(entry.getKey(), entry.getValue(), layout);
                if (outcome != null) {
                    pending.remove(entry.getKey());
                    store.commit(job.name(), job.jobFile(), entry.getValue(), outcome);
                    progress.finished(entry.getValue(), outcome);
                    progress.status(runningTasks(jsc));
                    lastStatus = System.currentTimeMillis();
                }
            }
            if (System.currentTimeMillis() - lastStatus > HEARTBEAT_MS) {
                progress.status(runningTasks(jsc));
                lastStatus = System.currentTimeMillis();
            }
        }
        String table = CellSummary.render(store.trials().filter("sweep = '" + job.name() + "'"));
        out.print(table);
        Map<String, String> now = store.recorded();
        int finished = (int) byId.keySet().stream().filter(id -> TrialOutcome.FINISHED.equals(now.get(id))).count();
        int failed = (int) byId.keySet().stream().filter(id -> TrialOutcome.FAILED.equals(now.get(id))).count();
        return new Summary(job.trials().size(), finished, failed, todo.size(), table);
    }

    /** Outcomes that tasks wrote but no driver committed (it died in between) go into the tables first. */
    private void recover(ResultsStore store, ResultsLayout layout, SweepJob job, Map<String, TrialConfig> byId) {
        Map<String, String> recorded = store.recorded();
        int recovered = 0;
        for (TrialConfig t : job.trials()) {
            Path dir = layout.trialDir(t.id());
            if (!recorded.containsKey(t.id()) && TrialOutcome.exists(dir)) {
                store.commit(job.name(), job.jobFile(), t, TrialOutcome.read(dir));
                recovered++;
            }
        }
        if (recovered > 0) {
            out.printf("[sweep] recorded %d trial(s) that finished after the last driver stopped%n", recovered);
        }
    }

    /** The trial's outcome once its Spark job is over; a job that failed for good becomes a failed outcome. */
    private static TrialOutcome poll(JavaFutureAction<List<TrialOutcome>> future, TrialConfig trial, ResultsLayout layout) {
        try {
            return future.get(200, TimeUnit.MILLISECONDS).get(0);
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for trial " + trial.id(), e);
        } catch (ExecutionException e) {
            TrialOutcome failed = TrialOutcome.failed(trial.id(), "Spark gave up on the task: " + rootMessage(e),
                    "", trial.runtime().device(), System.currentTimeMillis());
            failed.write(layout.trialDir(trial.id()));
            return failed;
        }
    }

    private static String rootMessage(Throwable e) {
        String message = e.getMessage();
        int cut = message == null ? -1 : message.indexOf("\n");
        return cut > 0 ? message.substring(0, cut) : String.valueOf(message);
    }

    private static int runningTasks(JavaSparkContext jsc) {
        int running = 0;
        for (int stage : jsc.statusTracker().getActiveStageIds()) {
            var info = jsc.statusTracker().getStageInfo(stage);
            running += info == null ? 0 : info.numActiveTasks();
        }
        return running;
    }

    private static void checkData(SweepJob job) {
        List<String> problems = new ArrayList<>();
        job.trials().stream().map(TrialConfig::runtime).distinct().forEach(r -> {
            if (!Files.exists(Path.of(r.data())) && !r.download()) {
                problems.add("data = " + r.data() + " does not exist; set data=<path to cifar-10-binary.tar.gz> "
                        + "(on a cluster, a path every executor can read) or download=true");
            }
        });
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(job.jobFile(), problems.stream().distinct().toList());
        }
    }

    private static void deleteOutcome(Path trialDir) {
        try {
            Files.deleteIfExists(trialDir.resolve(TrialOutcome.FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
