package dev.augsweep.report.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Holm's step-down correction: p-values adjusted so that rejecting where the adjusted p is under alpha keeps the
 * chance of any false rejection in the family at most alpha, whatever the dependence between the tests (adjacent
 * steps share a cell, so they are dependent).
 */
public final class Holm {
    private Holm() {
    }

    /** Adjusted p-values in the input's order; NaN stays NaN and is not counted in the family. */
    public static double[] adjust(double[] p) {
        Integer[] order = IntStream.range(0, p.length).filter(i -> !Double.isNaN(p[i])).boxed()
                .sorted(Comparator.comparingDouble(i -> p[i])).toArray(Integer[]::new);
        double[] adjusted = new double[p.length];
        Arrays.fill(adjusted, Double.NaN);
        int m = order.length;
        double running = 0;
        for (int k = 0; k < m; k++) {
            running = Math.max(running, Math.min(1, (m - k) * p[order[k]]));
            adjusted[order[k]] = running;
        }
        return adjusted;
    }
}
