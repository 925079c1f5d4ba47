package dev.augsweep.search.tpe;

import dev.augsweep.search.Distribution;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Optuna 3.1's {@code RandomSampler.sample_independent}, drawn from its own numpy-compatible stream: what
 * {@code TPESampler} proposes during startup. Only for replaying Optuna studies; augsweep's startup uses Sobol' points.
 * Per setting: a float takes one uniform on [low, high) (log scale: on [ln low, ln high), then exp), an int one uniform
 * on [low - 1/2, high + 1/2] rounded half-to-even and clipped, a choice one uniform per choice and the first largest.
 */
public final class OptunaRandomSampler {
    private final MersenneTwister rng;

    public OptunaRandomSampler(long seed) {
        this.rng = new MersenneTwister(MersenneTwister.seedOf(seed));
    }

    public Map<String, Object> propose(List<TpeParameter> parameters) {
        Map<String, Object> point = new LinkedHashMap<>();
        for (TpeParameter p : parameters) {
            point.put(p.key(), p.single() ? p.onlyValue() : p.external(draw(p)));
        }
        return point;
    }

    private double draw(TpeParameter p) {
        switch (p.kind()) {
            case FLOAT -> {
                return Math.min(rng.uniform(p.low(), p.high()), Math.nextDown(p.high()));
            }
            case LOG_FLOAT -> {
                double x = Libm.exp(rng.uniform(Libm.log(p.low()), Libm.log(p.high())));
                return Math.min(x, Math.nextDown(p.high()));
            }
            case INT -> {
                double x = rng.uniform(p.low() - 0.5, p.high() + 0.5);
                double v = Math.rint((x - p.low()) / p.step()) * p.step() + p.low();
                return Math.min(Math.max(v, p.low()), p.high());
            }
            default -> {
                int k = p.choices().size();
                int best = 0;
                double bestU = -1;
                for (int c = 0; c < k; c++) {
                    double u = rng.uniform(0, 1);
                    if (u > bestU) {
                        best = c;
                        bestU = u;
                    }
                }
                return best;
            }
        }
    }
}
