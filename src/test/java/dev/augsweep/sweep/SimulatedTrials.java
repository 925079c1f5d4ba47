package dev.augsweep.sweep;

import dev.augsweep.config.TrialConfig;
import dev.augsweep.results.ResultsLayout;
import dev.augsweep.results.TrialOutcome;
import dev.augsweep.storage.StorePath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.Function;

/**
 * A test-only task: instead of training, a synthetic kNN curve per trial, left on disk as a real task leaves it
 * (outcome.json, paused at a rung or finished), so that the driver, the schedule and the results store do all their
 * work. The curve rises towards a ceiling that peaks at lr 0.1 and grows with strength, with seed noise, so a search
 * has something to find.
 */
final class SimulatedTrials implements Function<TrialSegment, TrialOutcome> {
    /** Outcomes written, by trial and epoch reached (one JVM in local mode): a unit done twice would count 2. */
    static final java.util.concurrent.ConcurrentHashMap<String, Integer> WRITTEN = new java.util.concurrent.ConcurrentHashMap<>();
    private final ResultsLayout layout;

    SimulatedTrials(ResultsLayout layout) {
        this.layout = layout;
    }

    /** What a trial of these settings scores at an epoch: the simulated truth the tests check the search against. */
    static double knn(TrialConfig t, int epoch) {
        double ceiling = 70 - 30 * Math.pow(Math.log10(t.lr() / 0.1), 2) + 15 * (t.strength() - 0.5);
        double noise = new SplittableRandom(t.seed() * 1_000_003L + epoch + t.id().hashCode() * 31L).nextGaussian();
        return Math.max(10, ceiling * (1 - Math.exp(-epoch / 6.0)) + 0.5 * noise);
    }

    @Override
    public TrialOutcome call(TrialSegment s) {
        TrialConfig t = s.trial();
        StorePath dir = layout.trialDir(t.id());
        if (TrialOutcome.exists(dir)) { // as TrialTask: an earlier attempt got this far
            TrialOutcome earlier = TrialOutcome.read(dir);
            if (!earlier.paused() || earlier.epochsDone() >= s.stopAfter()) {
                return earlier;
            }
        }
        long started = System.currentTimeMillis();
        List<Map<String, Object>> epochs = new ArrayList<>();
        epochs.add(Map.of("epoch", 0, "knn_top1", 10.0));
        double best = 0;
        int bestEpoch = 0;
        for (int e = 1; e <= s.stopAfter(); e++) {
            double knn = knn(t, e);
            epochs.add(Map.of("epoch", e, "loss", 6.0 - e * 0.01, "knn_top1", knn));
            if (knn > best) {
                best = knn;
                bestEpoch = e;
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("epochs_done", s.stopAfter());
        result.put("knn_top1_best", best);
        result.put("best_epoch", bestEpoch);
        result.put("knn_top1_final", knn(t, s.stopAfter()));
        result.put("knn_top1_init", 10.0);
        result.put("seconds", 0.0);
        String status = s.stopAfter() < t.epochs() ? TrialOutcome.PAUSED : TrialOutcome.FINISHED;
        TrialOutcome o = new TrialOutcome(t.id(), status, null, "simulated", "none", started,
                System.currentTimeMillis(), result, epochs);
        o.write(dir);
        WRITTEN.merge(t.id() + "@" + s.stopAfter(), 1, Integer::sum);
        return o;
    }
}
