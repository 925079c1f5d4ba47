package dev.augsweep.sweep;

import dev.augsweep.config.Fractions;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.train.ConsoleProgress;
import java.io.PrintStream;
import java.util.Locale;

/** The driver's view of a sweep: trials done / running / failed / total, elapsed, ETA and the best cell so far. */
final class SweepProgress {
    private final PrintStream out;
    private final int total;
    private final int toRun;
    private final long start = System.nanoTime();
    private int done;
    private int doneThisRun;
    private int failed;
    private String best = "none yet";
    private double bestAccuracy = -1;

    SweepProgress(PrintStream out, int total, int alreadyFinished, int alreadyFailed, int toRun) {
        this.out = out;
        this.total = total;
        this.toRun = toRun;
        this.done = alreadyFinished;
        this.failed = alreadyFailed;
    }

    void finished(TrialConfig trial, TrialOutcome outcome) {
        doneThisRun++;
        if (outcome.finished()) {
            done++;
            double acc = ((Number) outcome.result().get("knn_top1_best")).doubleValue();
            if (acc > bestAccuracy) {
                bestAccuracy = acc;
                best = String.format(Locale.ROOT, "%s %s s=%s seed %d: %.2f%%", trial.method(), trial.augs(),
                        Fractions.format(trial.strength()), trial.seed(), acc);
            }
            out.printf(Locale.ROOT, "[sweep] finished %s: knn %.2f%%%n", trial.id(), acc);
        } else {
            failed++;
            out.printf(Locale.ROOT, "[sweep] FAILED %s: %s%n", trial.id(), outcome.reason());
        }
    }

    void status(int running) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        int remaining = toRun - doneThisRun;
        String eta = doneThisRun == 0 ? "?" : ConsoleProgress.duration(elapsed / doneThisRun * remaining);
        out.printf(Locale.ROOT, "[sweep] %d/%d done, %d running, %d failed | elapsed %s | ETA %s | best: %s%n",
                done, total, running, failed, ConsoleProgress.duration(elapsed), eta, best);
    }

    int failed() {
        return failed;
    }
}
