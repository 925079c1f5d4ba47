package dev.augsweep.sweep;

import dev.augsweep.config.TrialConfig;
import dev.augsweep.job.SweepJob;
import dev.augsweep.results.EpochRows;
import dev.augsweep.results.ResultsStore;
import dev.augsweep.results.TrialOutcome;
import dev.augsweep.schedule.Halving;
import dev.augsweep.search.Sample;
import dev.augsweep.storage.StorePath;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.apache.spark.sql.SparkSession;

/**
 * A running sweep as its driver sees it, for readers in other threads (the dashboard): every trial of the job with
 * its status now ({@link #STATUSES}), in the trials table's shape, with the epochs its last outcome brought; the
 * schedule, the ETA of the last progress line, and the driver's Spark session for reading the results tables. The
 * workload tells it what happens ({@link TrialWorkload}); reading it costs no Spark job and no file, except the
 * checkpoints' headers of the running trials, at most every {@link #CHECKPOINT_MS} (their epoch count).
 */
public final class LiveSweep {
    /** A trial's statuses as the driver knows them: the trials table's, and running, paused at a rung, pending. */
    public static final List<String> STATUSES = List.of("finished", "running", "paused", "stopped", "failed",
            "pending");
    /** How often readers may have the running trials' checkpoints read (their epochs trained so far). */
    static final long CHECKPOINT_MS = 5_000;

    /** The job's schedule: halving or asha, its rungs, the trials' last epoch, its description as the driver logs it. */
    public record Schedule(String kind, List<Integer> rungs, int epochs, String description) {
    }

    /**
     * The sweep now: every trial's row (trials-table columns plus {@code status} as above; timestamps as
     * {@link Timestamp}), the rung each paused trial waits at, the results directories, whether the driver still runs
     * it, the ETA (seconds, of the last progress line, counted down since) and how many trials ended (its figures
     * change when this does).
     */
    public record Snapshot(long version, String sweep, String jobFile, List<String> results, boolean live,
                           long startedAtMillis, Long finishedAtMillis, Double etaSeconds, Schedule schedule,
                           List<Map<String, Object>> rows, Map<String, Integer> pausedAt, int ended) {
    }

    private static final class Trial {
        final Map<String, Object> planned;
        Map<String, Object> last; // the row of its last outcome (paused or ended), or null
        EpochRows epochs = EpochRows.NONE;
        String status = "pending";
        String host;
        long firstStarted;
        long segmentStarted;
        int epochsAtSegmentStart;
        int epochsNow;
        Double imagesPerSecond;
        Integer rung;
        Map<String, Object> row;

        /** The device setting (auto, cpu, cuda): what a running trial shows until its outcome names the device. */
        final String device;

        Trial(Map<String, Object> planned, String device) {
            this.planned = planned;
            this.device = device;
        }
    }

    private final Map<String, Trial> trials = new LinkedHashMap<>();
    /** Each trial's configuration and sample (a tpe search adds both as it proposes). */
    private final Map<String, TrialConfig> configs = new LinkedHashMap<>();
    private final Map<String, Sample> samples = new HashMap<>();
    private final SweepJob job;
    private final String sweep;
    private final String jobFile;
    private final StorePath resultsDir;
    private final List<String> results;
    /** The schedule over the longest trial known so far (a tpe search knows its trials as it proposes them). */
    private Schedule schedule;
    private int epochs;
    private boolean live = true;
    private final long startedAt = System.currentTimeMillis();
    private Long finishedAt;
    private double eta = Double.NaN;
    private long etaAt;
    private long version;
    private int ended;
    private SparkSession spark;
    private ToIntFunction<String> checkpointEpochs = id -> 0;
    private long checkpointsRead;
    private Snapshot snapshot;

    /** The sweep about to run: every trial pending until the driver says what earlier drivers left. */
    public LiveSweep(SweepJob job, StorePath results) {
        this.job = job;
        this.sweep = job.name();
        this.jobFile = job.jobFile();
        this.resultsDir = results;
        this.results = List.of(results.toString());
        for (TrialConfig t : job.trials()) {
            add(t, job.sampleOf(t.id()));
        }
        if (job.trials().isEmpty() && job.sampleTrials() != null) {
            // a tpe search knows no trial before its first proposal: its first sample's trials show the schedule
            job.sampleTrials().of(job.search().first(1).get(0)).forEach(x -> scheduleOver(x.trial()));
        }
    }

    /** The schedule over the longest trial known so far. */
    private void scheduleOver(TrialConfig t) {
        Halving h = job.schedule();
        if (h != null && (schedule == null || t.epochs() > epochs)) {
            epochs = t.epochs();
            schedule = new Schedule(h.kind(), h.pauses(epochs), epochs, h.describe());
        }
    }

    private void add(TrialConfig t, Sample sample) {
        scheduleOver(t);
        configs.put(t.id(), t);
        if (sample != null) {
            samples.put(t.id(), sample);
        }
        trials.put(t.id(), new Trial(ResultsStore.plannedRow(sweep, jobFile, t, sample), t.runtime().device()));
    }

    /** A search proposed {@code trial} while the sweep runs: pending until its unit starts. */
    synchronized void added(TrialConfig trial, Sample sample) {
        if (!configs.containsKey(trial.id())) {
            add(trial, sample);
            changed();
        }
    }

    /** The driver began the sweep: its trials as recorded before (outcomes left on disk by earlier drivers). */
    synchronized void begin(SparkSession session, Map<String, String> recorded, Map<String, TrialOutcome> onDisk,
                            ToIntFunction<String> epochsOfCheckpoint) {
        spark = live ? session : null;
        checkpointEpochs = epochsOfCheckpoint;
        for (TrialConfig t : configs.values()) {
            Trial trial = trials.get(t.id());
            TrialOutcome o = onDisk.get(t.id());
            String status = recorded.get(t.id());
            if (o != null && (status != null || o.paused())) {
                outcome(trial, t, o);
                trial.status = status != null ? status : TrialOutcome.PAUSED;
                if (status != null) {
                    ended++;
                } else {
                    trial.rung = o.epochsDone();
                }
            } else if (status != null) {
                trial.status = status;
                ended++;
            }
            trial.row = null;
        }
        changed();
    }

    /** The unit of {@code trial} began on an executor of {@code host}. */
    synchronized void started(TrialConfig trial, String host) {
        Trial t = trials.get(trial.id());
        if (t == null) {
            return;
        }
        long now = System.currentTimeMillis();
        t.status = "running";
        t.host = host;
        t.rung = null;
        t.segmentStarted = now;
        t.firstStarted = t.firstStarted == 0 ? now : t.firstStarted;
        t.epochsAtSegmentStart = t.epochsNow;
        t.imagesPerSecond = null;
        changed(t);
    }

    /** The trial reached a rung and waits for its cell's decision. */
    synchronized void paused(TrialConfig trial, TrialOutcome outcome) {
        Trial t = trials.get(trial.id());
        if (t == null) {
            return;
        }
        outcome(t, trial, outcome);
        t.status = TrialOutcome.PAUSED;
        t.rung = outcome.epochsDone();
        changed(t);
    }

    /** The trial ended: finished, failed, or stopped by the schedule. */
    synchronized void ended(TrialConfig trial, TrialOutcome outcome) {
        Trial t = trials.get(trial.id());
        if (t == null) {
            return;
        }
        outcome(t, trial, outcome);
        t.status = outcome.status();
        t.rung = null;
        ended++;
        changed(t);
    }

    /** The last progress line's estimate of the time left (NaN when it had none). */
    synchronized void eta(double seconds) {
        eta = seconds;
        etaAt = System.currentTimeMillis();
        changed();
    }

    /** The driver is done with the sweep (finished, failed or stopped): its Spark session is no longer to be used. */
    synchronized void end() {
        if (live) {
            live = false;
            spark = null;
            finishedAt = System.currentTimeMillis();
            changed();
        }
    }

    private void outcome(Trial t, TrialConfig trial, TrialOutcome o) {
        t.last = ResultsStore.trialRow(sweep, jobFile, trial, o, samples.get(trial.id()));
        t.epochs = EpochRows.of(o.epochs());
        t.epochsNow = o.epochsDone();
        t.host = o.host();
        t.firstStarted = o.startedAtMillis();
    }

    private void changed(Trial t) {
        t.row = null;
        changed();
    }

    private void changed() {
        version++;
        snapshot = null;
    }

    /** The sweep now (the same object until something changes). */
    public Snapshot snapshot() {
        refreshCheckpoints();
        synchronized (this) {
            if (snapshot == null) {
                List<Map<String, Object>> rows = new ArrayList<>(trials.size());
                Map<String, Integer> pausedAt = new HashMap<>();
                for (Trial t : trials.values()) {
                    if (t.row == null) {
                        t.row = row(t);
                    }
                    rows.add(t.row);
                    if (t.rung != null && t.status.equals(TrialOutcome.PAUSED)) {
                        pausedAt.put((String) t.planned.get("trial_id"), t.rung);
                    }
                }
                Double left = Double.isNaN(eta) || !live ? null
                        : Math.max(0, eta - (System.currentTimeMillis() - etaAt) / 1000.0);
                snapshot = new Snapshot(version, sweep, jobFile, results, live, startedAt, finishedAt, left, schedule,
                        Collections.unmodifiableList(rows), Collections.unmodifiableMap(pausedAt), ended);
            }
            return snapshot;
        }
    }

    /** The epochs a trial's last outcome brought (none while it has not reached its first rung or end). */
    public synchronized EpochRows epochs(String trialId) {
        Trial t = trials.get(trialId);
        return t == null ? EpochRows.NONE : t.epochs;
    }

    /** The driver's Spark session while it runs the sweep (null before and after), and the results directory. */
    public synchronized SparkSession spark() {
        return spark;
    }

    public synchronized StorePath resultsDir() {
        return resultsDir;
    }

    /** The running trials' epochs trained so far, from their checkpoints: at most every CHECKPOINT_MS. */
    private void refreshCheckpoints() {
        List<String> running = new ArrayList<>();
        ToIntFunction<String> read;
        synchronized (this) {
            long now = System.currentTimeMillis();
            if (!live || now - checkpointsRead < CHECKPOINT_MS) {
                return;
            }
            checkpointsRead = now;
            trials.forEach((id, t) -> {
                if (t.status.equals("running")) {
                    running.add(id);
                }
            });
            read = checkpointEpochs;
        }
        Map<String, Integer> epochs = new HashMap<>();
        for (String id : running) {
            try {
                epochs.put(id, read.applyAsInt(id));
            } catch (RuntimeException e) {
                // a checkpoint being replaced: read next time
            }
        }
        synchronized (this) {
            long now = System.currentTimeMillis();
            epochs.forEach((id, e) -> {
                Trial t = trials.get(id);
                if (t != null && t.status.equals("running") && e > t.epochsNow) {
                    t.epochsNow = e;
                    Object images = t.planned.get("train_limit");
                    double seconds = (now - t.segmentStarted) / 1000.0;
                    if (images instanceof Number n && seconds > 0 && e > t.epochsAtSegmentStart) {
                        t.imagesPerSecond = (e - t.epochsAtSegmentStart) * n.doubleValue() / seconds;
                    }
                    changed(t);
                }
            });
        }
    }

    /** A trial's row now: its last outcome's (or its planned one) with what the driver knows since. */
    private static Map<String, Object> row(Trial t) {
        Map<String, Object> r = new LinkedHashMap<>(t.last != null ? t.last : t.planned);
        r.put("status", t.status);
        switch (t.status) {
            case "pending" -> {
                if (t.last == null) {
                    r.put("epochs_done", 0);
                }
            }
            case "running" -> {
                r.put("reason", null);
                r.put("host", t.host);
                r.put("started_at", new Timestamp(t.firstStarted));
                r.put("finished_at", null);
                r.put("epochs_done", t.epochsNow);
                r.put("images_per_second", t.imagesPerSecond);
                r.putIfAbsent("device", t.device);
                if (r.get("device") == null) {
                    r.put("device", t.device);
                }
            }
            case "paused" -> {
                r.put("reason", "waiting at epoch " + t.rung + " for the schedule's decision on its cell");
                r.put("finished_at", null);
            }
            default -> {
            }
        }
        return Collections.unmodifiableMap(r);
    }
}
