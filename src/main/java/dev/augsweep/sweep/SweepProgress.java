package dev.augsweep.sweep;

import dev.augsweep.config.Fractions;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.results.TrialOutcome;
import dev.augsweep.train.ConsoleProgress;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * The driver's view of a sweep: trials done / running / failed / total, elapsed, ETA and the best cell so far. The
 * ETA counts work in image-epochs (a trial's epochs times its training images), including the epochs of trials
 * still running, so it does not climb while a long trial trains and drop when it ends. Under a schedule it counts
 * the work decided so far (each trial up to the rung it is heading for). A search's trials not proposed yet count as
 * much work each as the proposed ones are heading for on average, so that its ETA does not read as nearly done
 * while most of its samples are still to come.
 */
final class SweepProgress {
    private final PrintStream out;
    private final int total;
    /** Trials that ended before this run (finished, failed or stopped): the rest of {@link #total} is this run's. */
    private final int endedBefore;
    private final List<ToRun> toRun;
    private final ToIntFunction<String> epochsDone;
    private final ToIntFunction<String> target;
    private final Map<String, Integer> startEpoch = new HashMap<>();
    private final Map<String, Integer> known = new HashMap<>();
    private final Set<String> ended = new HashSet<>();
    private final long start = System.nanoTime();
    private int done;
    private int failed;
    private int stopped;
    private String best = "none yet";
    private double bestAccuracy = -1;
    private double etaSeconds = Double.NaN;
    private double elapsedSeconds;

    /** Trials a search proposed while it runs: they join the work the ETA counts. */
    void added(List<TrialConfig> trials) {
        for (TrialConfig t : trials) {
            toRun.add(new ToRun(t.id(), images(t)));
            startEpoch.put(t.id(), 0);
            known.put(t.id(), 0);
        }
    }

    /** A trial to run, its id computed once (ids are hashes; a status line walks every trial). */
    private record ToRun(String id, int images) {
    }

    /**
     * @param alreadyFailed  trials recorded as failed before this run
     * @param alreadyStopped trials a schedule stopped before this run (not failures: a resumed or extended search
     *                       has many)
     * @param epochsDone   epochs a trial's checkpoint holds now, by trial id (asked at each status line for the
     *                     trials in flight only: the others' epochs are known from their outcomes)
     * @param target       the epoch a trial is heading for (its last, or its next rung under a schedule), by id
     */
    SweepProgress(PrintStream out, int total, int alreadyFinished, int alreadyFailed, int alreadyStopped,
                  List<TrialConfig> toRun, ToIntFunction<String> epochsDone, ToIntFunction<String> target) {
        this.out = out;
        this.total = total;
        this.endedBefore = alreadyFinished + alreadyFailed + alreadyStopped;
        this.toRun = new ArrayList<>(toRun.stream().map(t -> new ToRun(t.id(), images(t))).toList());
        this.epochsDone = epochsDone;
        this.target = target;
        this.done = alreadyFinished;
        this.failed = alreadyFailed;
        this.stopped = alreadyStopped;
        this.toRun.forEach(t -> startEpoch.put(t.id(), epochsDone.applyAsInt(t.id())));
        known.putAll(startEpoch);
    }

    void finished(TrialConfig trial, TrialOutcome outcome) {
        ended.add(trial.id());
        known.merge(trial.id(), outcome.epochsDone(), Math::max);
        if (outcome.finished()) {
            done++;
            double acc = consider(trial, outcome);
            out.printf(Locale.ROOT, "[sweep] finished %s: knn %.2f%%%n", trial.id(), acc);
        } else if (TrialOutcome.STOPPED.equals(outcome.status())) {
            stopped++;
            out.printf(Locale.ROOT, "[sweep] stopped %s at epoch %d%n", trial.id(), outcome.epochsDone());
        } else {
            failed++;
            out.printf(Locale.ROOT, "[sweep] FAILED %s: %s%n", trial.id(), outcome.reason());
        }
    }

    /** A trial an earlier driver finished competes for the best cell so far, without being counted again. */
    void finishedEarlier(TrialConfig trial, TrialOutcome outcome) {
        consider(trial, outcome);
    }

    private double consider(TrialConfig trial, TrialOutcome outcome) {
        double acc = ((Number) outcome.result().get("knn_top1_best")).doubleValue();
        if (acc > bestAccuracy) {
            bestAccuracy = acc;
            best = String.format(Locale.ROOT, "%s %s s=%s seed %d: %.2f%%", trial.method(), trial.augs(),
                    Fractions.format(trial.strength()), trial.seed(), acc);
        }
        return acc;
    }

    /** A trial reached rung {@code rung} (1-based) of a schedule and waits for its cell's decision. */
    void paused(TrialConfig trial, TrialOutcome outcome, int rung) {
        known.merge(trial.id(), outcome.epochsDone(), Math::max);
        Object knn = outcome.epochs().isEmpty() ? null : outcome.epochs().get(outcome.epochs().size() - 1).get("knn_top1");
        out.printf(Locale.ROOT, "[sweep] %s reached rung %d (epoch %d): knn %s%n", trial.id(), rung,
                outcome.epochsDone(), knn == null ? "-" : String.format(Locale.ROOT, "%.2f%%", ((Number) knn).doubleValue()));
    }

    void decision(String text) {
        out.println("[sweep] " + text);
    }

    /**
     * @param unrecorded outcomes the results tables lag behind by (failed commits being retried)
     * @param inFlight   trials whose units were submitted and have not come back: their checkpoints are read
     */
    void status(int running, int unrecorded, Set<String> inFlight) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        elapsedSeconds = elapsed;
        double remaining = 0;
        double doneThisRun = 0;
        for (ToRun t : toRun) {
            int from = startEpoch.get(t.id());
            int had = known.get(t.id());
            int goal = ended.contains(t.id()) ? had : target.applyAsInt(t.id());
            int now = ended.contains(t.id()) ? goal
                    : Math.max(had, inFlight.contains(t.id()) ? Math.min(goal, epochsDone.applyAsInt(t.id())) : had);
            doneThisRun += (now - from) * (double) t.images();
            remaining += (goal - now) * (double) t.images();
        }
        int unproposed = total - endedBefore - toRun.size();
        if (unproposed > 0 && !toRun.isEmpty()) {
            remaining += unproposed * (doneThisRun + remaining) / toRun.size();
        }
        etaSeconds = doneThisRun == 0 ? Double.NaN : elapsed / doneThisRun * remaining;
        String eta = doneThisRun == 0 ? "?" : ConsoleProgress.duration(etaSeconds);
        out.printf(Locale.ROOT, "[sweep] %d/%d done, %d running, %d failed%s | elapsed %s | ETA %s | best: %s%s%n",
                done, total, running, failed, stopped > 0 ? ", " + stopped + " stopped" : "",
                ConsoleProgress.duration(elapsed), eta, best,
                unrecorded > 0 ? " | TABLES LAG: " + unrecorded + " outcome(s) not yet recorded, retrying" : "");
    }

    int failed() {
        return failed;
    }

    /** The last status line's estimate of the time left, in seconds (NaN before one could be made). */
    double etaSeconds() {
        return etaSeconds;
    }

    /** The elapsed time the last status line measured its ETA from. */
    double elapsedSeconds() {
        return elapsedSeconds;
    }

    private static int images(TrialConfig t) {
        return t.trainLimit() == TrialConfig.ALL ? 50_000 : t.trainLimit();
    }
}
