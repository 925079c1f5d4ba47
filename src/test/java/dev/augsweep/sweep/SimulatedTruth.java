package dev.augsweep.sweep;

import dev.augsweep.config.TrialConfig;
import dev.augsweep.results.ResultsLayout;
import dev.augsweep.results.TrialOutcome;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.function.Function;

/**
 * The driver tests' simulated truth: a kNN curve that rises towards a ceiling peaking at lr 0.1 and growing with
 * strength, with seed noise, so a search has something to find; and a count of the outcomes the task wrote.
 */
final class SimulatedTruth {
    /** Outcomes written, by trial and epoch reached (one JVM in local mode): a unit done twice would count 2. */
    static final ConcurrentHashMap<String, Integer> WRITTEN = new ConcurrentHashMap<>();

    private SimulatedTruth() {
    }

    static double knn(TrialConfig t, int epoch) {
        double ceiling = 70 - 30 * Math.pow(Math.log10(t.lr() / 0.1), 2) + 15 * (t.strength() - 0.5);
        double noise = new SplittableRandom(t.seed() * 1_000_003L + epoch + t.id().hashCode() * 31L).nextGaussian();
        return Math.max(10, ceiling * (1 - Math.exp(-epoch / 6.0)) + 0.5 * noise);
    }

    /** The simulated task over this truth, counting each outcome it writes (not one an earlier attempt left). */
    static Function<TrialSegment, TrialOutcome> task(ResultsLayout layout) {
        SimulatedTrials trials = new SimulatedTrials(layout, SimulatedTruth::knn);
        return s -> {
            long called = System.currentTimeMillis();
            TrialOutcome o = trials.call(s);
            if (o.startedAtMillis() >= called) {
                WRITTEN.merge(s.trial().id() + "@" + s.stopAfter(), 1, Integer::sum);
            }
            return o;
        };
    }
}
