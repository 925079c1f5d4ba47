package dev.augsweep.bench.search;

import dev.augsweep.search.Distribution;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The benchmark's functions: Branin (2-D) and Hartmann-6, the classic test functions of Bayesian optimisation; a
 * noisy surface over a log-uniform learning rate and a colour strength with its optimum inside both ranges (as a
 * kNN score over lr and strength looks); and a mixed space with a choice of words and whole numbers.
 */
public final class Objectives {
    private Objectives() {
    }

    /** Built once: a simulated trial looks its objective up at every epoch ({@link ObjectiveCurve}). */
    private static final List<Objective> ALL = List.of(branin(), hartmann6(), lrStrength(), mixed());

    public static List<Objective> all() {
        return ALL;
    }

    /** One of {@link #all()} by its name. */
    public static Objective named(String name) {
        return ALL.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no objective named " + name + "; expected one of "
                        + all().stream().map(Objective::name).toList()));
    }

    /** Branin-Hoo on [-5, 10] x [0, 15]; minimum 0.397887 at three points. */
    static Objective branin() {
        Map<String, Distribution> space = new LinkedHashMap<>();
        space.put("x1", new Distribution.Uniform(-5, 10));
        space.put("x2", new Distribution.Uniform(0, 15));
        return new Deterministic("branin", space, 0.397887357729738, p -> {
            double x1 = num(p, "x1");
            double x2 = num(p, "x2");
            double b = 5.1 / (4 * Math.PI * Math.PI);
            double c = 5 / Math.PI;
            double t = 1 / (8 * Math.PI);
            return Math.pow(x2 - b * x1 * x1 + c * x1 - 6, 2) + 10 * (1 - t) * Math.cos(x1) + 10;
        });
    }

    private static final double[] ALPHA = {1.0, 1.2, 3.0, 3.2};
    private static final double[][] A = {{10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14},
        {3, 3.5, 1.7, 10, 17, 8}, {17, 8, 0.05, 10, 0.1, 14}};
    private static final double[][] P = {{0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886},
        {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991}, {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650},
        {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}};

    /** Hartmann-6 on [0, 1]^6; minimum -3.32237. */
    static Objective hartmann6() {
        Map<String, Distribution> space = new LinkedHashMap<>();
        for (int i = 1; i <= 6; i++) {
            space.put("x" + i, new Distribution.Uniform(0, 1));
        }
        return new Deterministic("hartmann6", space, -3.32236801141551, p -> {
            double sum = 0;
            for (int i = 0; i < 4; i++) {
                double inner = 0;
                for (int j = 0; j < 6; j++) {
                    double d = num(p, "x" + (j + 1)) - P[i][j];
                    inner += A[i][j] * d * d;
                }
                sum += ALPHA[i] * Math.exp(-inner);
            }
            return -sum;
        });
    }

    /**
     * A kNN-like surface, minimised: (log10 lr + 2)^2 + 2 (strength - 0.6)^2, plus Gaussian noise of 0.05 (a seed's
     * spread); lr ~ loguniform(1e-4, 1), strength ~ uniform(0.1, 1) (a trial's strength is positive, so that the
     * driver's path can train it); minimum 0 at lr 0.01, strength 0.6.
     */
    static Objective lrStrength() {
        Map<String, Distribution> space = new LinkedHashMap<>();
        space.put("lr", new Distribution.LogUniform(1e-4, 1));
        space.put("strength", new Distribution.Uniform(0.1, 1));
        return new Objective() {
            @Override
            public String name() {
                return "lr-strength";
            }

            @Override
            public Map<String, Distribution> space() {
                return space;
            }

            @Override
            public double value(Map<String, Object> point, SplittableRandom noise) {
                return noiseless(point) + 0.05 * gaussian(noise);
            }

            @Override
            public double noiseless(Map<String, Object> p) {
                double l = Math.log10(num(p, "lr")) + 2;
                double s = num(p, "strength") - 0.6;
                return l * l + 2 * s * s;
            }

            @Override
            public double minimum() {
                return 0;
            }
        };
    }

    /** x ~ uniform(-5, 5), n ~ intrange(1, 10), c ~ choice(a, b, c): (x - 1)^2 + 0.1 (n - 7)^2 + {a: 1, b: 0, c: 2}. */
    static Objective mixed() {
        Map<String, Distribution> space = new LinkedHashMap<>();
        space.put("x", new Distribution.Uniform(-5, 5));
        space.put("n", new Distribution.IntRange(1, 10));
        space.put("c", new Distribution.Choice(List.of("a", "b", "c")));
        return new Deterministic("mixed", space, 0, p -> {
            double x = num(p, "x") - 1;
            double n = num(p, "n") - 7;
            double c = switch (String.valueOf(p.get("c"))) {
                case "a" -> 1;
                case "b" -> 0;
                default -> 2;
            };
            return x * x + 0.1 * n * n + c;
        });
    }

    private static double num(Map<String, Object> p, String key) {
        return ((Number) p.get(key)).doubleValue();
    }

    /** A standard normal draw (Box-Muller), from the trial's own stream. */
    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** A function without noise. */
    private record Deterministic(String name, Map<String, Distribution> space, double minimum,
                                 java.util.function.ToDoubleFunction<Map<String, Object>> f) implements Objective {
        @Override
        public double value(Map<String, Object> point, SplittableRandom noise) {
            return f.applyAsDouble(point);
        }

        @Override
        public double noiseless(Map<String, Object> point) {
            return f.applyAsDouble(point);
        }
    }
}
