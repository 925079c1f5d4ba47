package dev.augsweep.search;

import java.util.SplittableRandom;

/** Independent uniform points (SplittableRandom: the same sequence for a seed in every JVM). */
public final class RandomSampler implements Sampler {
    @Override
    public double[][] points(int n, int dimensions, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] points = new double[n][dimensions];
        for (double[] p : points) {
            for (int d = 0; d < dimensions; d++) {
                p[d] = random.nextDouble();
            }
        }
        return points;
    }

    @Override
    public String name() {
        return "random";
    }
}
