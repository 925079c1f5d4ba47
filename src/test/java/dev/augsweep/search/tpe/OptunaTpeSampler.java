package dev.augsweep.search.tpe;

import dev.augsweep.search.Distribution;
import java.util.Map;

/**
 * Optuna 3.1's {@code TPESampler(seed=seed)} whole: {@link OptunaRandomSampler} while fewer than
 * {@code startupTrials} trials are complete or pruned, {@link Tpe} after, each with its own stream from the same seed
 * (as Optuna's {@code _random_sampler} and {@code _rng}). Replays an Optuna study bit for bit given the same history;
 * augsweep itself uses {@link Tpe} after Sobol' startup points instead.
 */
public final class OptunaTpeSampler {
    private final Tpe tpe;
    private final OptunaRandomSampler startup;

    public OptunaTpeSampler(Map<String, Distribution> space, long seed, Tpe.Settings settings) {
        this.tpe = new Tpe(space, seed, settings);
        this.startup = new OptunaRandomSampler(seed);
    }

    public Map<String, Object> propose(TpeHistory history) {
        return tpe.modelled(history) ? tpe.propose(history) : startup.propose(tpe.parameters());
    }

    public Tpe tpe() {
        return tpe;
    }
}
