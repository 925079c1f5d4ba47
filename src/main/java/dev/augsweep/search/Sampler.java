package dev.augsweep.search;

import java.io.Serializable;

/** Draws points of the unit cube: the same points for the same seed, on any machine. */
public interface Sampler extends Serializable {
    /** {@code n} points of {@code dimensions} coordinates in [0, 1). */
    double[][] points(int n, int dimensions, long seed);

    String name();

    static Sampler named(String name) {
        return switch (name) {
            case "random" -> new RandomSampler();
            case "sobol" -> new SobolSampler();
            default -> null;
        };
    }
}
