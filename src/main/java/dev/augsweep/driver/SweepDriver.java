package dev.augsweep.driver;

import dev.augsweep.results.CommitGuard;
import dev.augsweep.results.ResultsLayout;
import dev.augsweep.results.SparkSessions;
import dev.augsweep.storage.Storage;
import dev.augsweep.storage.StorePath;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.SparkSession;

/**
 * The driver of a sweep's work, whatever the work is ({@link Workload}): claims the results directory (one driver
 * at a time, one job per directory), starts Spark, submits one Spark job per unit (so the Spark UI names each; in
 * order, no more at once than {@link #concurrentUnits} allows), hands each outcome to the workload the moment it
 * arrives and queues what it calls for, and prints a status line on every outcome and once a minute.
 */
public final class SweepDriver {
    private static final long HEARTBEAT_MS = 60_000;
    private static final long POLL_MS = 200;
    private static final long STATUS_MS = 2_000;
    /**
     * The scheduler pool of the units' jobs. Commits run from the committer thread in the default pool, which
     * under FAIR scheduling gets a freed slot first: it has fewer running tasks, or, with one slot, an equal count
     * and the name that sorts first.
     */
    static final String UNITS_POOL = "units";

    /** How to run: where results go, which Spark master, extra Spark settings, whether failed units rerun. */
    public record Options(StorePath results, String master, Map<String, String> sparkSettings, boolean retryFailed) {
        /** The Hadoop settings the results store is reached with: Spark's spark.hadoop.* (Storage.hadoopSettings). */
        public Map<String, String> storage() {
            return Storage.hadoopSettings(sparkSettings);
        }
    }

    private SweepDriver() {
    }

    /** Opens a workload on the driver's Spark session and results directory, committing under the driver's guard. */
    @FunctionalInterface
    public interface Opener<W> {
        /** @param guard what each commit to the results tables checks first (this driver still holds them) */
        W open(SparkSession spark, ResultsLayout layout, CommitGuard guard);
    }

    /**
     * Runs a workload to its end in the results directory of job {@code name} and returns {@code result}'s view of
     * it, taken while Spark still runs.
     */
    public static <U extends Serializable, O extends Serializable, W extends Workload<U, O>, R> R run(
            String name, String jobFile, Options options, Opener<W> open, Function<W, R> result) {
        Storage.configure(options.storage());
        ResultsLayout layout = new ResultsLayout(options.results());
        boolean unfenced = Boolean.parseBoolean(options.sparkSettings().getOrDefault(DriverLease.UNFENCED, "false"));
        try (DriverLock lock = DriverLock.acquire(layout, unfenced)) {
            JobMarker.claim(layout, name, jobFile);
            System.out.println("[driver] starting Spark (" + (options.master() == null ? "local mode" : options.master())
                    + ")");
            SparkSession spark = SparkSessions.create("augsweep " + name, options.master(), options.sparkSettings());
            try {
                W workload = open.open(spark, layout, lock.commitGuard());
                try (workload) {
                    drive(JavaSparkContext.fromSparkContext(spark.sparkContext()), workload, lock);
                }
                return result.apply(workload);
            } finally {
                spark.stop();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <U extends Serializable, O extends Serializable> void drive(JavaSparkContext jsc,
                                                                              Workload<U, O> workload, DriverLock lock) {
        // Woken by every job's end (a unit's future is complete by then), so a freed slot is refilled at once; and
        // told where each job's first task began, so the workload knows its units running from those queued.
        Semaphore jobEnded = new Semaphore(0);
        Map<Integer, Integer> jobOfStage = new ConcurrentHashMap<>();
        Map<Integer, String> startedJobs = new ConcurrentHashMap<>();
        SparkListener wake = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart start) {
                scala.jdk.javaapi.CollectionConverters.asJava(start.stageInfos())
                        .forEach(stage -> jobOfStage.put(stage.stageId(), start.jobId()));
            }

            @Override
            public void onTaskStart(SparkListenerTaskStart task) {
                Integer job = jobOfStage.get(task.stageId());
                if (job != null) {
                    startedJobs.putIfAbsent(job, task.taskInfo().host());
                }
            }

            @Override
            public void onJobEnd(SparkListenerJobEnd end) {
                jobOfStage.values().removeIf(job -> job == end.jobId()); // a unit over is not told it started
                startedJobs.remove(end.jobId());
                jobEnded.release();
            }
        };
        jsc.sc().addSparkListener(wake);
        try {
            loop(jsc, workload, lock, jobEnded, startedJobs);
        } finally {
            jsc.sc().removeSparkListener(wake);
        }
    }

    private static <U extends Serializable, O extends Serializable> void loop(JavaSparkContext jsc,
            Workload<U, O> workload, DriverLock lock, Semaphore jobEnded, Map<Integer, String> startedJobs) {
        Map<JavaFutureAction<List<O>>, U> pending = new LinkedHashMap<>();
        java.util.Set<JavaFutureAction<List<O>>> toldStarted = java.util.Collections.newSetFromMap(
                new java.util.IdentityHashMap<>());
        ArrayDeque<U> waiting = new ArrayDeque<>(workload.start());
        int limit = concurrentUnits(jsc);
        long lastStatus = System.currentTimeMillis();
        boolean more = true; // the workload may have units to propose when a slot frees
        while (!pending.isEmpty() || !waiting.isEmpty() || more) {
            stopIfLost(jsc, lock);
            try {
                while (pending.size() < limit) {
                    if (waiting.isEmpty()) {
                        // A proposal waits for a free task slot: made sooner, it would know fewer results (a
                        // search's model learns from those that arrive meanwhile). Known units queue with Spark.
                        if (!more || pending.size() >= taskSlots(jsc)) {
                            break;
                        }
                        List<U> proposed = workload.next();
                        if (proposed.isEmpty()) {
                            more = false;
                            break;
                        }
                        waiting.addAll(proposed);
                    }
                    submit(jsc, workload, waiting.peek(), pending, lock.fence());
                    waiting.poll();
                }
            } catch (IllegalStateException | NullPointerException e) {
                // Stopped between two submissions: Spark says so (IllegalStateException), or, when its stop runs
                // between its own check and the submission, fails on the scheduler it has just cleared (NPE).
                if (jsc.sc().isStopped()) {
                    throw shutDown(pending.size() + waiting.size());
                }
                throw e;
            }
            boolean arrived = false;
            if (!startedJobs.isEmpty()) {
                tellStarted(workload, pending, toldStarted, startedJobs);
            }
            for (var entry : new ArrayList<>(pending.entrySet())) {
                if (entry.getKey().isDone()) {
                    toldStarted.remove(entry.getKey());
                    if (jsc.sc().isStopped()) {
                        throw shutDown(pending.size() + waiting.size());
                    }
                    pending.remove(entry.getKey());
                    List<U> follow = workload.arrived(entry.getValue(), outcome(jsc, entry.getKey(), entry.getValue(),
                            workload, lock));
                    // What an outcome calls for (a promotion) goes before the units not started yet: ASHA's rule
                    // (its Algorithm 2 promotes before it starts a new configuration).
                    for (int i = follow.size() - 1; i >= 0; i--) {
                        waiting.addFirst(follow.get(i));
                    }
                    arrived = true;
                }
            }
            // A status line on outcomes, at most one per STATUS_MS (a search's short trials end many a second), and
            // once a minute without them.
            long sinceStatus = System.currentTimeMillis() - lastStatus;
            boolean over = pending.isEmpty() && waiting.isEmpty() && !more;
            if ((arrived && (sinceStatus >= STATUS_MS || over)) || sinceStatus > HEARTBEAT_MS) {
                workload.status(running(jsc, pending.keySet()));
                lastStatus = System.currentTimeMillis();
            }
            if (!arrived) {
                pause(jobEnded);
            }
        }
    }

    /** Tells the workload of the units whose first task began since the last look (the started jobs are taken). */
    private static <U extends Serializable, O extends Serializable> void tellStarted(Workload<U, O> workload,
            Map<JavaFutureAction<List<O>>, U> pending, java.util.Set<JavaFutureAction<List<O>>> told,
            Map<Integer, String> startedJobs) {
        for (var entry : pending.entrySet()) {
            if (told.contains(entry.getKey())) {
                continue;
            }
            for (int job : entry.getKey().jobIds()) {
                String host = startedJobs.remove(job);
                if (host != null) {
                    told.add(entry.getKey());
                    workload.started(entry.getValue(), host);
                    break;
                }
            }
        }
    }

    /**
     * How many units may have jobs at once: all of them (Spark queues their tasks) unless the session keeps task slots
     * for commits (SparkSessions.COMMIT_SLOTS), then as many as the other slots hold.
     */
    static int concurrentUnits(JavaSparkContext jsc) {
        int reserved = jsc.getConf().getInt(SparkSessions.COMMIT_SLOTS, 0);
        if (reserved == 0) {
            return Integer.MAX_VALUE;
        }
        return Math.max(1, (jsc.sc().defaultParallelism() - reserved) / jsc.getConf().getInt("spark.task.cpus", 1));
    }

    /**
     * The units the cluster runs at once, less the slots kept for commits: its executors' task slots by their cores
     * and resources (GPUs) as Spark counts them, at least one (no executor may have registered yet).
     */
    static int taskSlots(JavaSparkContext jsc) {
        org.apache.spark.SparkContext sc = jsc.sc();
        int slots = sc.maxNumConcurrentTasks(sc.resourceProfileManager().defaultResourceProfile());
        return Math.max(1, slots - jsc.getConf().getInt(SparkSessions.COMMIT_SLOTS, 0));
    }

    private static <U extends Serializable, O extends Serializable> void submit(JavaSparkContext jsc,
            Workload<U, O> workload, U unit, Map<JavaFutureAction<List<O>>, U> pending, DriverLock.Fence fence) {
        jsc.setLocalProperty("spark.scheduler.pool", UNITS_POOL);
        jsc.setJobDescription(workload.describe(unit));
        jsc.setCallSite(workload.describe(unit));
        pending.put(jsc.parallelize(List.of(unit), 1).map(fenced(fence, workload.task())).collectAsync(), unit);
        workload.submitted(unit);
    }

    /** The unit's task, checking first on its executor that this driver still holds the results directory. */
    private static <U, O> org.apache.spark.api.java.function.Function<U, O> fenced(DriverLock.Fence fence,
            org.apache.spark.api.java.function.Function<U, O> task) {
        return fence == null ? task : unit -> {
            fence.check();
            return task.call(unit);
        };
    }

    /** A driver that lost the results directory to another stops its units (they are the other's now) and says so. */
    private static void stopIfLost(JavaSparkContext jsc, DriverLock lock) {
        try {
            lock.check();
        } catch (ResultsBusyException e) {
            jsc.cancelAllJobs();
            throw e;
        }
    }

    /** The outcome of a unit whose Spark job is over; a job that failed for good becomes the workload's failure. */
    private static <U extends Serializable, O extends Serializable> O outcome(JavaSparkContext jsc,
            JavaFutureAction<List<O>> future, U unit, Workload<U, O> workload, DriverLock lock) {
        try {
            return future.get().get(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + workload.describe(unit), e);
        } catch (ExecutionException e) {
            // A unit that failed because its driver lost the directory (its fence) is not a failed unit: the other
            // driver runs it. Ask the store before recording a failure.
            lock.confirm();
            stopIfLost(jsc, lock);
            // Spark's own message ("Job aborted due to stage failure: ... : the task's exception") is the cause's.
            String message = (e.getCause() != null ? e.getCause() : e).getMessage();
            int cut = message == null ? -1 : message.indexOf("\n");
            return workload.failedForGood(unit, "Spark gave up on the task: "
                    + (cut > 0 ? message.substring(0, cut) : String.valueOf(message)));
        }
    }

    /**
     * Ctrl-C or a kill: Spark's shutdown hook cancels every job. Those units did not fail; they stay unrecorded, to
     * run (from their checkpoints) next time.
     */
    private static SparkShutDownException shutDown(int units) {
        return new SparkShutDownException("Spark was shut down while " + units + " units were queued or running; run "
                + "the same command again to go on");
    }

    private static void pause(Semaphore jobEnded) {
        try {
            if (jobEnded.tryAcquire(POLL_MS, TimeUnit.MILLISECONDS)) {
                jobEnded.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the sweep's tasks", e);
        }
    }

    /** Units running now: active tasks of the units' own jobs (a results commit is a job too). */
    private static <O> int running(JavaSparkContext jsc, Iterable<JavaFutureAction<List<O>>> pending) {
        int running = 0;
        for (JavaFutureAction<List<O>> unit : pending) {
            for (int job : unit.jobIds()) {
                var info = jsc.statusTracker().getJobInfo(job);
                for (int stage : info == null ? new int[0] : info.stageIds()) {
                    var stageInfo = jsc.statusTracker().getStageInfo(stage);
                    running += stageInfo == null ? 0 : stageInfo.numActiveTasks();
                }
            }
        }
        return running;
    }
}
