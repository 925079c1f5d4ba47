package dev.augsweep.bench.search;

import dev.augsweep.search.Distribution;
import dev.augsweep.search.RandomSampler;
import dev.augsweep.search.SobolSampler;
import dev.augsweep.search.tpe.Observation;
import dev.augsweep.search.tpe.Tpe;
import dev.augsweep.search.tpe.TpeHistory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One search on a synthetic {@link Objective} as augsweep searches: {@code slots} trials in flight (proposals are
 * made until that many run, then the oldest reports, as Optuna's ask/tell peer does), values rounded as a search
 * records them, and for {@code tpe} the scrambled Sobol' startup points, then Optuna 3.1's TPE with running trials
 * as the constant liar's worst (univariate, or {@code tpe-multivariate}). Returns the simple regret after each trial
 * (in proposal order): the best noiseless value among the first k trials less the function's minimum.
 */
public final class SearchBenchmark {
    /** tpe-multivariate: TPE with one model over all settings ({@code search.multivariate = true}). */
    public static final List<String> SAMPLERS = List.of("tpe", "tpe-multivariate", "sobol", "random");

    private SearchBenchmark() {
    }

    public static double[] run(Objective f, String sampler, long seed, int trials, int slots) {
        Map<String, Distribution> space = f.space();
        List<String> keys = new ArrayList<>(space.keySet());
        double[][] cube = switch (sampler) {
            case "random" -> new RandomSampler().points(trials, keys.size(), seed);
            case "sobol", "tpe", "tpe-multivariate" -> new SobolSampler().points(trials, keys.size(), seed);
            default -> throw new IllegalArgumentException("sampler " + sampler + ": expected one of " + SAMPLERS);
        };
        Tpe tpe = sampler.startsWith("tpe") ? new Tpe(space, seed, Tpe.Settings.defaults().withConstantLiar(true)
                .withMultivariate(sampler.equals("tpe-multivariate"))) : null;
        TpeHistory history = TpeHistory.of(space);
        double[] regret = new double[trials];
        List<Map<String, Object>> points = new ArrayList<>();
        ArrayDeque<Integer> flight = new ArrayDeque<>();
        double best = Double.POSITIVE_INFINITY;
        while (points.size() < trials || !flight.isEmpty()) {
            while (flight.size() < slots && points.size() < trials) {
                int i = points.size();
                Map<String, Object> p = tpe != null && tpe.modelled(history) ? tpe.propose(history) : at(space,
                        keys, cube[i]);
                Map<String, Object> recorded = new LinkedHashMap<>();
                p.forEach((k, v) -> recorded.put(k, space.get(k).recorded(v)));
                points.add(recorded);
                flight.add(history.add(recorded, Observation.RUNNING));
                best = Math.min(best, f.noiseless(recorded));
                regret[i] = best - f.minimum();
            }
            int t = flight.poll();
            double y = f.value(points.get(t), new SplittableRandom(seed * 1_000_003L + t));
            history.update(t, new Observation.Complete(-y)); // TPE maximises, as kNN accuracy
        }
        return regret;
    }

    private static Map<String, Object> at(Map<String, Distribution> space, List<String> keys, double[] u) {
        Map<String, Object> p = new LinkedHashMap<>();
        for (int d = 0; d < keys.size(); d++) {
            p.put(keys.get(d), space.get(keys.get(d)).at(u[d]));
        }
        return p;
    }
}
