package dev.augsweep.config;

/** Colour strengths as the paper writes them: halvings of 1 as fractions (1/8), anything else as a decimal. */
public final class Fractions {
    private Fractions() {
    }

    public static String format(double value) {
        for (int d : new int[] {1, 2, 4, 8, 16}) {
            double n = value * d;
            if (Math.abs(n - Math.rint(n)) < 1e-9) {
                return d == 1 ? Long.toString(Math.round(n)) : Math.round(n) + "/" + d;
            }
        }
        return Double.toString(value);
    }
}
