package dev.augsweep.concentration;

import java.io.Serializable;

/**
 * What a unit found: a class's distances (n x n, row-major), or per delta the largest share of the class within
 * delta of each other and whether the search proved it largest. {@code failure} says why a unit found nothing.
 */
public record ConcentrationOutcome(float[] distances, int images, double[] sigma, boolean[] exact, double seconds,
                                   String failure) implements Serializable {
    public static ConcentrationOutcome failed(String why) {
        return new ConcentrationOutcome(null, 0, null, null, 0, why);
    }
}
