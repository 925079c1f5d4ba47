package dev.augsweep.sweep;

import dev.augsweep.config.TrialConfig;
import dev.augsweep.results.ResultsLayout;
import dev.augsweep.results.TrialOutcome;
import dev.augsweep.storage.StorePath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.Function;

/**
 * A trial task that simulates instead of training: a kNN curve per trial from a {@link SimulatedScore}, left in the
 * results store as a real task leaves it (outcome.json, paused at a rung or finished), so that the driver, the
 * schedule, a search's sampler and the results tables do all their work. The driver's scale tests and the search
 * benchmark run on it.
 */
public final class SimulatedTrials implements Function<TrialSegment, TrialOutcome> {
    private final ResultsLayout layout;
    private final SimulatedScore score;

    public SimulatedTrials(ResultsLayout layout, SimulatedScore score) {
        this.layout = layout;
        this.score = score;
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
            double knn = score.knn(t, e);
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
        result.put("knn_top1_final", score.knn(t, s.stopAfter()));
        result.put("knn_top1_init", 10.0);
        result.put("seconds", 0.0);
        String status = s.stopAfter() < t.epochs() ? TrialOutcome.PAUSED : TrialOutcome.FINISHED;
        TrialOutcome o = new TrialOutcome(t.id(), status, null, "simulated", "none", started,
                System.currentTimeMillis(), result, epochs);
        o.write(dir);
        return o;
    }
}
