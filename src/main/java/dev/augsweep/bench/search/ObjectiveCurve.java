package dev.augsweep.bench.search;

import dev.augsweep.config.TrialConfig;
import dev.augsweep.sweep.SimulatedScore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An {@link Objective} over trial settings as a simulated training run, for the search benchmark through the driver:
 * kNN top-1 rises from 10 at epoch 0 to {@code 80 - 10 f} at the last epoch, where f is the objective's value at the
 * trial's settings (noise drawn afresh at each epoch, as a seed's evaluation wobbles), as {@code 1 - exp(-3 e /
 * epochs)} rescaled to end at 1. Where {@code crossing}, curves cross: a higher lr rises sooner (rate
 * {@code 3 (lr / 0.01)^0.25} in place of 3), so an early rung favours high learning rates more than the end does, as
 * real runs often do, and a schedule can be misled by it; else every curve has one shape and an early rung orders
 * trials as the end does, up to noise. The last epoch's noiseless kNN orders trials as f does, so regret is measured
 * on f.
 *
 * @param objective the function's name ({@link Objectives#named}); its settings must be trial settings
 * @param epochs    the trial's epochs
 * @param seed      the benchmark repetition, which draws the noise
 * @param crossing  whether a higher lr rises sooner
 */
public record ObjectiveCurve(String objective, int epochs, long seed, boolean crossing) implements SimulatedScore {
    @Override
    public double knn(TrialConfig trial, int epoch) {
        Objective f = Objectives.named(objective);
        Map<String, Object> point = new LinkedHashMap<>();
        f.space().keySet().forEach(key -> point.put(key, setting(trial, key)));
        double y = f.value(point, new SplittableRandom(seed * 1_000_003L + trial.id().hashCode() * 31L + epoch));
        double rate = crossing && point.containsKey("lr")
                ? 3 * Math.pow(((Number) point.get("lr")).doubleValue() / 0.01, 0.25) : 3;
        double progress = (1 - Math.exp(-rate * epoch / epochs)) / (1 - Math.exp(-rate));
        return 10 + (70 - 10 * y) * progress;
    }

    /** The trial's value of a search key the benchmark's objectives use. */
    static double setting(TrialConfig t, String key) {
        return switch (key) {
            case "lr" -> t.lr();
            case "strength" -> t.strength();
            case "momentum" -> t.momentum();
            case "weight-decay" -> t.weightDecay();
            default -> throw new IllegalArgumentException("objective setting " + key + " is not a trial setting the "
                    + "simulated trials read; use lr, strength, momentum or weight-decay");
        };
    }
}
