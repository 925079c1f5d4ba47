package dev.augsweep.sweep;

import dev.augsweep.config.Fractions;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.driver.Workload;
import dev.augsweep.job.SampleTrials;
import dev.augsweep.job.SweepJob;
import dev.augsweep.report.CellSummary;
import dev.augsweep.results.BatchCommitter;
import dev.augsweep.results.CommitGuard;
import dev.augsweep.results.ResultsLayout;
import dev.augsweep.results.ResultsStore;
import dev.augsweep.results.TrialOutcome;
import dev.augsweep.schedule.Halving;
import dev.augsweep.schedule.HalvingLadder;
import dev.augsweep.search.Sample;
import dev.augsweep.storage.Storage;
import dev.augsweep.storage.StorePath;
import dev.augsweep.train.Checkpoint;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A sweep's trials as a {@link Workload}: records what earlier drivers left, runs every trial not yet recorded
 * (resuming from checkpoints), records each outcome exactly once in the trials and epochs tables, and, with a
 * halving schedule, runs trials up to a rung at a time and promotes or stops their cells as {@link HalvingLadder}
 * decides. Decisions go to the {@link DecisionLog} before they are acted on, so a restarted driver continues the schedule
 * where it stopped.
 */
final class TrialWorkload implements Workload<TrialSegment, TrialOutcome> {
    private final SweepJob job;
    private final boolean retryFailed;
    private final ResultsLayout layout;
    private final ResultsStore store;
    private final PrintStream out;
    private final Function<TrialSegment, TrialOutcome> task;
    private final Map<String, TrialConfig> byId = new LinkedHashMap<>();
    private Map<String, String> recorded;
    private BatchCommitter<ResultsStore.Finished> committer;
    private SweepProgress progress;
    private HalvingLadder ladder;
    private final DecisionLog decisionLog;
    private final Map<String, List<TrialConfig>> trialsOfCell = new LinkedHashMap<>();
    private final java.util.Set<String> inFlight = new java.util.HashSet<>();
    private final Map<String, Sample> sampleOf = new HashMap<>();
    private final Map<String, Integer> gridOf = new HashMap<>();
    /** A tpe search's proposals; null for a grid or a search drawn up front. */
    private TpeProposals proposals;
    private int toRun;
    private final SparkSession spark;
    /** What the dashboard reads, or null where none is served. */
    private final LiveSweep live;

    TrialWorkload(SweepJob job, boolean retryFailed, SparkSession spark, ResultsLayout layout, CommitGuard guard,
                  PrintStream out, Function<TrialSegment, TrialOutcome> task, LiveSweep live) {
        this.job = job;
        this.spark = spark;
        this.live = live;
        this.retryFailed = retryFailed;
        this.layout = layout;
        this.store = new ResultsStore(spark, layout, guard);
        this.out = out;
        this.task = task;
        this.decisionLog = new DecisionLog(layout);
        job.trials().forEach(t -> byId.put(t.id(), t));
        job.trials().forEach(t -> trialsOfCell.computeIfAbsent(cellKey(t), k -> new ArrayList<>()).add(t));
        sampleOf.putAll(job.sampleOf());
        gridOf.putAll(job.gridOf());
    }

    @Override
    public List<TrialSegment> start() {
        store.open();
        refuseChangedSpace();
        if (job.search() != null && job.search().adaptive() != null) {
            proposals = new TpeProposals(job.search());
            replayProposals(); // the samples proposed before, with their trials, before anything is counted
        }
        recorded = store.recorded();
        Map<String, TrialOutcome> onDisk = outcomesOnDisk();
        recover(onDisk);
        if (retryFailed) {
            List<String> failed = byId.keySet().stream().filter(id -> TrialOutcome.FAILED.equals(recorded.get(id)))
                    .toList();
            store.forget(failed);
            failed.forEach(id -> deleteOutcome(layout.trialDir(id)));
            failed.forEach(recorded::remove);
            failed.forEach(onDisk::remove);
        }
        List<TrialConfig> todo = byId.values().stream().filter(t -> !recorded.containsKey(t.id())).toList();
        toRun = todo.size();
        long resuming = todo.stream().filter(t -> Checkpoint.exists(layout.trialDir(t.id()))).count();
        out.printf("[sweep] %s: %d trials; %d finished earlier, %d failed earlier%s%s, %d to run (%d resume from "
                        + "checkpoints); results in %s%n", job.name(), job.total(), count(TrialOutcome.FINISHED),
                count(TrialOutcome.FAILED), count(TrialOutcome.FAILED) > 0 && !retryFailed
                        ? " (skipped; --retry-failed runs them again)" : "",
                count(TrialOutcome.STOPPED) > 0 ? ", " + count(TrialOutcome.STOPPED) + " stopped by the schedule" : "",
                todo.size(), resuming, layout.root());
        committer = new BatchCommitter<>(f -> f.trial().id(), batch -> store.commit(job.name(), job.jobFile(), batch),
                recorded.keySet(), out, () -> spark.sparkContext().isStopped());
        progress = new SweepProgress(out, job.total(), count(TrialOutcome.FINISHED),
                count(TrialOutcome.FAILED), count(TrialOutcome.STOPPED), todo,
                id -> Checkpoint.epochsDone(layout.trialDir(id)), this::target);
        for (TrialConfig t : byId.values()) {
            if (TrialOutcome.FINISHED.equals(recorded.get(t.id())) && onDisk.containsKey(t.id())) {
                progress.finishedEarlier(t, onDisk.get(t.id()));
            }
        }
        if (live != null) {
            live.begin(spark, recorded, onDisk, id -> Checkpoint.epochsDone(layout.trialDir(id)));
        }
        if (proposals != null) {
            learnRecorded(onDisk);
        }
        if (job.schedule() == null) {
            return todo.stream().map(TrialSegment::whole).toList();
        }
        out.println("[sweep] schedule: " + job.schedule().describe());
        ladder = ladder(job.schedule(), onDisk);
        List<TrialSegment> segments = new ArrayList<>(act(ladder.decide()));
        java.util.Set<String> decided = new java.util.HashSet<>();
        segments.forEach(s -> decided.add(s.trial().id()));
        for (TrialConfig t : todo) {
            TrialOutcome last = onDisk.get(t.id());
            if (ladder.stopped(t.id()) && last != null && last.paused()) {
                // Decided, but not recorded, before; unless act() just decided it, and recorded it.
                if (TrialOutcome.read(layout.trialDir(t.id())).paused()) {
                    record(t, last.stopped("stopped by the schedule at epoch " + last.epochsDone(),
                            System.currentTimeMillis()));
                }
                continue;
            }
            boolean waiting = last != null && last.paused() && last.epochsDone() >= ladder.target(t.id());
            if (!ladder.stopped(t.id()) && !waiting && !decided.contains(t.id())) {
                segments.add(new TrialSegment(t, ladder.target(t.id())));
            }
        }
        return segments;
    }

    @Override
    public String describe(TrialSegment s) {
        TrialConfig t = s.trial();
        return "trial " + t.id() + " (" + t.method() + " augs=" + t.augs() + " seed " + t.seed()
                + (s.stopAfter() < t.epochs() ? ", to epoch " + s.stopAfter() : "") + ")";
    }

    @Override
    public Function<TrialSegment, TrialOutcome> task() {
        return task;
    }

    @Override
    public TrialOutcome failedForGood(TrialSegment s, String reason) {
        TrialOutcome failed = TrialOutcome.failed(s.trial().id(), reason, "", s.trial().runtime().device(),
                System.currentTimeMillis());
        failed.write(layout.trialDir(s.trial().id()));
        return failed;
    }

    @Override
    public List<TrialSegment> arrived(TrialSegment s, TrialOutcome outcome) {
        TrialConfig trial = s.trial();
        inFlight.remove(trial.id());
        if (outcome.paused()) {
            progress.paused(trial, outcome, rungNumber(outcome.epochsDone()));
            learn(trial, outcome);
            if (live != null) {
                live.paused(trial, outcome);
            }
            ladder.paused(trial.id(), outcome.epochsDone(), metric(outcome.epochs(), outcome.epochsDone()));
            return act(ladder.decide());
        }
        committer.submit(new ResultsStore.Finished(trial, outcome, sampleOf.get(trial.id())));
        progress.finished(trial, outcome);
        learn(trial, outcome);
        if (live != null) {
            live.ended(trial, outcome);
        }
        if (ladder != null && !outcome.finished()) {
            ladder.failed(trial.id()); // a cell's pool can be complete without it now
            return act(ladder.decide());
        }
        return List.of();
    }

    @Override
    public void submitted(TrialSegment unit) {
        inFlight.add(unit.trial().id());
    }

    @Override
    public void started(TrialSegment unit, String host) {
        if (live != null) {
            live.started(unit.trial(), host);
        }
    }

    @Override
    public void status(int running) {
        progress.status(running, committer.unrecorded(), inFlight);
        if (live != null) {
            live.eta(progress.etaSeconds());
        }
    }

    @Override
    public void close() {
        try {
            if (committer != null) { // null where the workload stopped before it began (Spark failed to start)
                committer.close();
            }
        } finally {
            if (live != null) {
                live.end();
            }
        }
    }

    /** What a run leaves: counts, and the summary table it printed. */
    SweepRunner.Summary summary() {
        String table = CellSummary.render(store.trials().filter("sweep = '" + job.name() + "'"));
        out.print(table);
        recorded = store.recorded();
        return new SweepRunner.Summary(byId.size(), count(TrialOutcome.FINISHED), count(TrialOutcome.FAILED),
                count(TrialOutcome.STOPPED), toRun, table);
    }

    private int count(String status) {
        return (int) byId.keySet().stream().filter(id -> status.equals(recorded.get(id))).count();
    }

    /** The epoch a trial is heading for now: its end, or, under a schedule, its cell's next rung. */
    private int target(String trialId) {
        return ladder == null ? byId.get(trialId).epochs() : ladder.target(trialId);
    }

    /**
     * Outcomes that tasks wrote but no driver recorded (it stopped in between) go into the tables first, and into
     * {@code recorded}, the driver's view of the trials table. Paused trials are not over: they are not recorded.
     */
    private void recover(Map<String, TrialOutcome> onDisk) {
        List<ResultsStore.Finished> recovered = new ArrayList<>();
        for (TrialConfig t : byId.values()) {
            TrialOutcome o = onDisk.get(t.id());
            if (!recorded.containsKey(t.id()) && o != null && !o.paused()) {
                recovered.add(new ResultsStore.Finished(t, o, sampleOf.get(t.id())));
            }
        }
        if (!recovered.isEmpty()) {
            store.commit(job.name(), job.jobFile(), recovered);
            recovered.forEach(f -> recorded.put(f.trial().id(), f.outcome().status()));
            out.printf("[sweep] recorded %d trial(s) that ended after the last driver stopped%n", recovered.size());
        }
    }

    /** The outcome every trial of the job left on disk, read once at start: recovery, progress and the ladder use it. */
    private Map<String, TrialOutcome> outcomesOnDisk() {
        Map<String, TrialOutcome> onDisk = new HashMap<>();
        for (TrialConfig t : byId.values()) {
            StorePath dir = layout.trialDir(t.id());
            if (TrialOutcome.exists(dir)) {
                onDisk.put(t.id(), TrialOutcome.read(dir));
            }
        }
        return onDisk;
    }

    // --- a tpe search's proposals ----------------------------------------------------------------------------------

    /**
     * A search extended later (samples raised) keeps its recorded points; a changed range or distribution would mix
     * points from two spaces in one report, so it is refused, naming the setting.
     */
    private void refuseChangedSpace() {
        if (job.search() == null) {
            return;
        }
        Map<String, Object> now = com.typesafe.config.ConfigFactory.parseString(job.search().json()).root().unwrapped();
        for (Row r : store.trials().where(org.apache.spark.sql.functions.col("sweep").equalTo(job.name())
                .and(org.apache.spark.sql.functions.col("search_space").isNotNull())).select("search_space").distinct()
                .collectAsList()) {
            Map<String, Object> then = com.typesafe.config.ConfigFactory.parseString(r.getString(0)).root().unwrapped();
            java.util.Set<String> keys = new java.util.TreeSet<>(then.keySet());
            keys.addAll(now.keySet());
            for (String key : keys) {
                if (!java.util.Objects.equals(then.get(key), now.get(key))) {
                    throw new dev.augsweep.config.InvalidConfigException(job.jobFile(), List.of("search." + key + " is "
                            + (now.get(key) == null ? "gone" : now.get(key)) + " in " + job.jobFile() + " but was "
                            + (then.get(key) == null ? "not sampled" : then.get(key)) + " when " + layout.root()
                            + " began this search: its recorded points come from that space; change it back, or start "
                            + "a new search in another results directory (--results) or under another name"));
                }
            }
        }
    }

    /** A decision log entry that records a proposed sample, not a schedule's decision. */
    private static final String SAMPLE = "sample";

    /**
     * A tpe search proposes its next sample when a slot frees: written down first (the decision log), its trials
     * registered, and their units returned; nothing once {@code samples} were proposed.
     */
    @Override
    public List<TrialSegment> next() {
        if (proposals == null) {
            return List.of();
        }
        while (!proposals.exhausted()) {
            TpeProposals.Proposal p = proposals.next();
            decisionLog.append(List.of(Map.of("kind", SAMPLE, "index", p.sample().index(), "values",
                    p.sample().values(), "draws", p.draws())));
            List<TrialConfig> fresh = register(p.sample());
            if (fresh.isEmpty()) {
                continue; // the model's point repeats an earlier sample (it found nothing new in its draws)
            }
            toRun += fresh.size();
            progress.added(fresh);
            return fresh.stream().map(t -> ladder == null ? TrialSegment.whole(t)
                    : new TrialSegment(t, ladder.target(t.id()))).toList();
        }
        return List.of();
    }

    /** The samples proposed before this driver, with their trials, as the decision log recorded them. */
    @SuppressWarnings("unchecked")
    private void replayProposals() {
        for (Map<String, Object> d : decisionLog.read()) {
            if (SAMPLE.equals(d.get("kind"))) {
                Sample sample = new Sample(((Number) d.get("index")).intValue(),
                        job.search().typed((Map<String, Object>) d.get("values")), job.search().json());
                proposals.replay(sample, ((Number) d.get("draws")).longValue());
                register(sample);
            }
        }
    }

    /** A proposed sample's trials, known from now on; those not known before are returned. */
    private List<TrialConfig> register(Sample sample) {
        List<TrialConfig> fresh = new ArrayList<>();
        Map<String, List<String>> cells = new LinkedHashMap<>();
        for (SampleTrials.Trial st : job.sampleTrials().of(sample)) {
            TrialConfig t = st.trial();
            cells.computeIfAbsent(cellKey(t), k -> new ArrayList<>()).add(t.id());
            if (byId.putIfAbsent(t.id(), t) == null) {
                fresh.add(t);
                sampleOf.put(t.id(), sample);
                gridOf.put(t.id(), st.grid());
                if (live != null) {
                    live.added(t, sample);
                }
                trialsOfCell.computeIfAbsent(cellKey(t), k -> new ArrayList<>()).add(t);
            }
        }
        proposals.cells(sample, cells);
        if (ladder != null) {
            for (TrialConfig t : fresh) {
                if (ladder.cellOf(t.id()) == null) {
                    List<TrialConfig> seeds = trialsOfCell.get(cellKey(t));
                    ladder.add(new HalvingLadder.Cell(cellKey(t), label(t), group(job.schedule(), t),
                            seeds.stream().map(TrialConfig::id).toList(), t.epochs()));
                }
            }
        }
        return fresh;
    }

    /** What an outcome tells the model: a seed's metric where it paused or ended, or its failure. */
    private void learn(TrialConfig t, TrialOutcome o) {
        if (proposals == null) {
            return;
        }
        String cell = cellKey(t);
        if (!o.finished() && !o.paused() && !TrialOutcome.STOPPED.equals(o.status())) {
            proposals.failed(cell, t.id());
            return;
        }
        Double m = job.schedule() != null ? metric(o.epochs(), o.epochsDone())
                : o.result() == null ? null : ((Number) o.result().get("knn_top1_best")).doubleValue();
        if (m != null) {
            proposals.reached(cell, t.id(), o.epochsDone(), m);
        }
        if (!o.paused()) {
            proposals.ended(cell, t.id());
        }
    }

    /** What the model learns of the trials that ended or paused before this driver. */
    private void learnRecorded(Map<String, TrialOutcome> onDisk) {
        for (TrialConfig t : byId.values()) {
            TrialOutcome o = onDisk.get(t.id());
            if (o != null) {
                learn(t, o);
            } else if (TrialOutcome.FAILED.equals(recorded.get(t.id()))) {
                proposals.failed(cellKey(t), t.id());
            }
        }
    }

    // --- the schedule --------------------------------------------------------------------------------------------

    /** The ladder of this job's cells, replaying what happened before: decisions, failures, every rung passed. */
    private HalvingLadder ladder(Halving h, Map<String, TrialOutcome> onDisk) {
        List<HalvingLadder.Cell> cells = new ArrayList<>();
        trialsOfCell.forEach((key, trials) -> {
            TrialConfig t = trials.get(0);
            cells.add(new HalvingLadder.Cell(key, label(t), group(h, t), trials.stream().map(TrialConfig::id).toList(),
                    t.epochs()));
        });
        HalvingLadder l = new HalvingLadder(h, cells);
        if (proposals != null) { // the cells to come: every sample makes as many per group as the first
            Map<String, Integer> perSample = new HashMap<>();
            Map<String, Boolean> seenCell = new HashMap<>();
            for (SampleTrials.Trial t : job.sampleTrials().of(job.search().first(1).get(0))) {
                if (seenCell.putIfAbsent(t.trial().cellId(), true) == null) {
                    perSample.merge(h.groupOf(t.trial(), t.grid()), 1, Integer::sum);
                }
            }
            perSample.forEach((group, n) -> l.expect(group, n * job.search().samples()));
        }
        // Logs written before cells had ids name a cell by its settings' text.
        Map<String, String> legacyKeys = new HashMap<>();
        byId.values().forEach(t -> legacyKeys.put(t.cellIdentity().toString(), t.cellId()));
        decisionLog.read().stream().filter(d -> !SAMPLE.equals(d.get("kind"))).forEach(d -> {
            String cell = legacyKeys.getOrDefault((String) d.get("cell"), (String) d.get("cell"));
            l.apply(new HalvingLadder.Decision(cell, ((Number) d.get("rung")).intValue(),
                    (Boolean) d.get("promoted"), 0, 0, 0, 0));
        });
        Map<String, Map<Integer, Double>> recordedKnn = recordedKnn();
        for (TrialConfig t : byId.values()) {
            String status = recorded.get(t.id());
            if (TrialOutcome.FAILED.equals(status)) {
                l.failed(t.id());
                continue;
            }
            List<Map<String, Object>> history = new ArrayList<>();
            if (status != null) {
                recordedKnn.getOrDefault(t.id(), Map.of()).forEach((e, k) -> history.add(Map.of("epoch", e, "knn_top1", k)));
            } else if (onDisk.containsKey(t.id())) {
                history.addAll(onDisk.get(t.id()).epochs());
            }
            for (int rung : h.pauses(t.epochs())) {
                Double m = metric(history, rung);
                if (m != null) {
                    l.paused(t.id(), rung, m);
                }
            }
        }
        return l;
    }

    /** Acts on decisions, written down first: promoted cells' paused trials go on, stopped ones are recorded. */
    private List<TrialSegment> act(List<HalvingLadder.Decision> decisions) {
        if (decisions.isEmpty()) {
            return List.of();
        }
        decisionLog.append(decisions.stream().map(d -> Map.<String, Object>of("cell", d.cell(), "rung", d.rung(),
                "promoted", d.promoted(), "mean", d.mean(), "rank", d.rank(), "ranked", d.ranked())).toList());
        List<TrialSegment> next = new ArrayList<>();
        for (HalvingLadder.Decision d : decisions) {
            HalvingLadder.Cell cell = null;
            for (TrialConfig t : trialsOfCell.getOrDefault(d.cell(), List.of())) {
                cell = ladder.cellOf(t.id());
                StorePath dir = layout.trialDir(t.id());
                if (recorded.containsKey(t.id()) || !TrialOutcome.exists(dir) || !TrialOutcome.read(dir).paused()) {
                    continue; // failed, or not paused (resumed by start() after a restart)
                }
                if (d.promoted()) {
                    next.add(new TrialSegment(t, ladder.target(t.id())));
                } else {
                    record(t, TrialOutcome.read(dir).stopped("stopped by the schedule: " + d.describe(label(t)),
                            System.currentTimeMillis()));
                }
            }
            if (cell != null) {
                progress.decision(d.describe(cell.label()));
            }
        }
        return next;
    }

    /** A trial the schedule stopped: its outcome says so, and it is recorded like a finished one. */
    private void record(TrialConfig t, TrialOutcome stopped) {
        stopped.write(layout.trialDir(t.id()));
        committer.submit(new ResultsStore.Finished(t, stopped, sampleOf.get(t.id())));
        progress.finished(t, stopped);
        learn(t, stopped);
        if (live != null) {
            live.ended(t, stopped);
        }
    }

    private Double metric(List<Map<String, Object>> history, int epoch) {
        Double best = null;
        Double at = null;
        for (Map<String, Object> e : history) {
            Object k = e.get("knn_top1");
            int ep = ((Number) e.get("epoch")).intValue();
            if (k != null && ep >= 1 && ep <= epoch) { // epoch 0 is the untrained control, not a trained epoch
                double v = ((Number) k).doubleValue();
                best = best == null ? v : Math.max(best, v);
                if (ep == epoch) {
                    at = v;
                }
            }
        }
        return job.schedule().metric().equals("knn_top1_best") && at != null ? best : at;
    }

    private int rungNumber(int epoch) {
        return job.schedule().pauses(Integer.MAX_VALUE).indexOf(epoch) + 1;
    }

    /** Trial and epoch to kNN accuracy (percent), from the epochs table, for the trials recorded before. */
    private Map<String, Map<Integer, Double>> recordedKnn() {
        Map<String, Map<Integer, Double>> knn = new HashMap<>();
        for (Row r : store.epochs().select("trial_id", "epoch", "knn_top1").where("knn_top1 IS NOT NULL").collectAsList()) {
            knn.computeIfAbsent(r.getString(0), id -> new TreeMap<>()).put(r.getInt(1), r.getDouble(2));
        }
        return knn;
    }

    /** A cell is a trial's settings but its seed: the same cell the tables report. */
    private static String cellKey(TrialConfig t) {
        return t.cellId();
    }

    private static String label(TrialConfig t) {
        return t.method() + " " + t.augs() + (t.augs().equals("color") ? " s=" + Fractions.format(t.strength()) : "");
    }

    private String group(Halving h, TrialConfig t) {
        return h.groupOf(t, gridOf.getOrDefault(t.id(), 0));
    }

    private static void deleteOutcome(StorePath trialDir) {
        Storage.delete(trialDir.resolve(TrialOutcome.FILE), false);
    }
}
