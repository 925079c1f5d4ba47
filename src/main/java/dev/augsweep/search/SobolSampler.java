package dev.augsweep.search;

import java.util.SplittableRandom;
import org.apache.commons.math3.random.SobolSequenceGenerator;

/**
 * Scrambled Sobol' points: Commons Math's generator (Joe and Kuo's direction numbers) randomised by a digital shift,
 * each coordinate's 52 bits XORed with a mask drawn from the seed. The shift keeps the sequence's stratification
 * (every dyadic box of the right size still holds its share of points, which is why Sobol' covers a space more
 * evenly than random points) while making the points depend on the seed, and moves the unshifted sequence's first
 * point off the corner (0, ..., 0).
 */
public final class SobolSampler implements Sampler {
    private static final int BITS = 52; // the generator's resolution: every point is a multiple of 2^-52

    @Override
    public double[][] points(int n, int dimensions, long seed) {
        SobolSequenceGenerator sobol = new SobolSequenceGenerator(dimensions);
        SplittableRandom random = new SplittableRandom(seed);
        long[] shift = new long[dimensions];
        for (int d = 0; d < dimensions; d++) {
            shift[d] = random.nextLong() >>> (64 - BITS);
        }
        double scale = Math.scalb(1.0, BITS);
        double[][] points = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] x = sobol.nextVector();
            for (int d = 0; d < dimensions; d++) {
                x[d] = (((long) (x[d] * scale)) ^ shift[d]) / scale;
            }
            points[i] = x;
        }
        return points;
    }

    @Override
    public String name() {
        return "sobol";
    }
}
