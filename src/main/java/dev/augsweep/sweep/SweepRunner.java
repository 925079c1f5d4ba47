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
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The driver: claims the results directory, records what earlier runs left, submits one Spark job per trial still
 * to do (so the UI names each trial), reports each outcome the moment it arrives and hands it to the
 * {@link OutcomeCommitter}, which records outcomes in the results tables in batches.
 */
public final class SweepRunner {
    private static final long HEARTBEAT_MS = 60_000;
    private static final long POLL_MS = 200;

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
        Map<String, String> recorded = store.recorded();
        recover(store, layout, job, recorded);
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
        try (OutcomeCommitter committer = new OutcomeCommitter(store, job.name(), job.jobFile(), recorded.keySet())) {
            while (!pending.isEmpty()) {
                boolean arrived = false;
                for (var entry : new ArrayList<>(pending.entrySet())) {
                    if (entry.getKey().isDone()) {
                        TrialOutcome outcome = outcome(entry.getKey(), entry.getValue(), layout);
                        pending.remove(entry.getKey());
                        committer.submit(new ResultsStore.Finished(entry.getValue(), outcome));
                        progress.finished(entry.getValue(), outcome);
                        progress.status(runningTrials(jsc, pending.keySet()));
                        lastStatus = System.currentTimeMillis();
                        arrived = true;
                    }
                }
                if (System.currentTimeMillis() - lastStatus > HEARTBEAT_MS) {
                    progress.status(runningTrials(jsc, pending.keySet()));
                    lastStatus = System.currentTimeMillis();
                }
                if (!arrived) {
                    pause();
                }
            }
        }
        String table = CellSummary.render(store.trials().filter("sweep = '" + job.name() + "'"));
        out.print(table);
        Map<String, String> now = store.recorded();
        int finished = (int) byId.keySet().stream().filter(id -> TrialOutcome.FINISHED.equals(now.get(id))).count();
        int failed = (int) byId.keySet().stream().filter(id -> TrialOutcome.FAILED.equals(now.get(id))).count();
        return new Summary(job.trials().size(), finished, failed, todo.size(), table);
    }

    /**
     * Outcomes that tasks wrote but no driver recorded (it stopped in between) go into the tables first, and into
     * {@code recorded}, the driver's view of the trials table.
     */
    private void recover(ResultsStore store, ResultsLayout layout, SweepJob job, Map<String, String> recorded) {
        List<ResultsStore.Finished> recovered = new ArrayList<>();
        for (TrialConfig t : job.trials()) {
            Path dir = layout.trialDir(t.id());
            if (!recorded.containsKey(t.id()) && TrialOutcome.exists(dir)) {
                recovered.add(new ResultsStore.Finished(t, TrialOutcome.read(dir)));
            }
        }
        if (!recovered.isEmpty()) {
            store.commit(job.name(), job.jobFile(), recovered);
            recovered.forEach(f -> recorded.put(f.trial().id(), f.outcome().status()));
            out.printf("[sweep] recorded %d trial(s) that finished after the last driver stopped%n", recovered.size());
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for trials", e);
        }
    }

    /** The outcome of a trial whose Spark job is over; a job that failed for good becomes a failed outcome. */
    private static TrialOutcome outcome(JavaFutureAction<List<TrialOutcome>> future, TrialConfig trial, ResultsLayout layout) {
        try {
            return future.get().get(0);
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

    /** Trials training now: active tasks of the trials' own jobs (a results commit is a job too). */
    private static int runningTrials(JavaSparkContext jsc, Iterable<JavaFutureAction<List<TrialOutcome>>> pending) {
        int running = 0;
        for (JavaFutureAction<List<TrialOutcome>> trial : pending) {
            for (int job : trial.jobIds()) {
                var info = jsc.statusTracker().getJobInfo(job);
                for (int stage : info == null ? new int[0] : info.stageIds()) {
                    var stageInfo = jsc.statusTracker().getStageInfo(stage);
                    running += stageInfo == null ? 0 : stageInfo.numActiveTasks();
                }
            }
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
