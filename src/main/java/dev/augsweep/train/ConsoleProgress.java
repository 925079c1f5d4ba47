package dev.augsweep.train;

import java.io.PrintStream;
import java.util.Locale;

/** Progress as lines of text (no terminal tricks, so logs and CI read the same). */
public final class ConsoleProgress implements ProgressListener {
    private final PrintStream out;
    private final String prefix;
    private final String onceMark;

    public ConsoleProgress(PrintStream out, String prefix) {
        this(out, prefix, null);
    }

    /**
     * @param onceMark what marks a line to be said once per sweep, for the process that reads these lines (a trial
     *                 worker's driver); null to print it as a message
     */
    public ConsoleProgress(PrintStream out, String prefix, String onceMark) {
        this.out = out;
        this.prefix = prefix;
        this.onceMark = onceMark;
    }

    @Override
    public void once(String text) {
        if (onceMark == null) {
            message(text);
        } else {
            out.println(onceMark + text);
        }
    }

    @Override
    public void started(String trialId, int startEpoch, int epochs, int stepsPerEpoch, String device, boolean resumed) {
        out.printf(Locale.ROOT, "%strial %s on %s: %s epoch %d of %d, %d steps per epoch%n", prefix, trialId, device,
                resumed ? "resuming at" : "starting", startEpoch + 1, epochs, stepsPerEpoch);
    }

    @Override
    public void step(int epoch, int step, int steps, double meanLoss, double imagesPerSecond) {
        out.printf(Locale.ROOT, "%s  epoch %d step %d/%d  loss %.4f  %.1f img/s%n", prefix, epoch + 1, step, steps,
                meanLoss, imagesPerSecond);
    }

    @Override
    public void epoch(EpochMetrics m, int epochs, EpochMetrics best, double etaSeconds) {
        String knn = m.knnTop1() == null ? "   -   " : String.format(Locale.ROOT, "%6.2f%%", 100 * m.knnTop1());
        String bestSoFar = best == null ? "no kNN yet" : String.format(Locale.ROOT, "best %.2f%% @%d",
                100 * best.knnTop1(), best.epoch());
        out.printf(Locale.ROOT, "%sepoch %3d/%d  loss %.4f  knn %s (%s)  lr %.5f  %.1f img/s  %s  ETA %s%n",
                prefix, m.epoch(), epochs, m.loss(), knn, bestSoFar, m.lr(), m.imagesPerSecond(),
                duration(m.trainSeconds() + m.evalSeconds()), duration(etaSeconds));
    }

    @Override
    public void message(String text) {
        out.println(prefix + text);
    }

    public static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
        }
        return (s / 3600) + "h" + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + "m";
    }
}
