package dev.augsweep.bench.search;

import dev.augsweep.search.Distribution;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A synthetic function for the search benchmark, minimised: a search proposes points of {@link #space()}, each is
 * scored by {@link #value} (noise drawn from {@code noise}, the same for a point's trial whatever the sampler), and
 * its simple regret is the best noiseless value found so far less {@link #minimum()}. Implement it to compare the
 * samplers on a function of your own ({@code SearchBenchmark.run}).
 */
public interface Objective {
    String name();

    /** The settings and their distributions, as a job's {@code search} block would give them. */
    Map<String, Distribution> space();

    /** The function's value at a point, with its noise where it has some. */
    double value(Map<String, Object> point, SplittableRandom noise);

    /** The same without noise: what regret is measured on. */
    double noiseless(Map<String, Object> point);

    /** The function's global minimum (its noiseless value at the optimum). */
    double minimum();
}
