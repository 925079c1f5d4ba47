package dev.augsweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import com.typesafe.config.ConfigFactory;
import dev.augsweep.testing.PeerPython;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingImportanceTest {
    private static final String[] WORDS = {"a", "b", "c"};
    private static final Map<String, Boolean> LOG = new LinkedHashMap<>();

    static {
        LOG.put("lr", true);
        LOG.put("u", false);
        LOG.put("c", false);
    }

    /** lr ~ loguniform(1e-4, 1), u ~ uniform(0, 1), c ~ choice(a, b, c); y = -(log10 lr + 2)² [+ 3 if c = b] + noise */
    static List<SettingImportance.Point> points(int n, boolean choiceMatters, long seed) {
        Random r = new Random(seed);
        List<SettingImportance.Point> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double lr = Math.pow(10, -4 + 4 * r.nextDouble());
            double u = r.nextDouble();
            String c = WORDS[r.nextInt(3)];
            double x = Math.log10(lr) + 2;
            double y = -x * x + (choiceMatters && c.equals("b") ? 3 : 0) + 0.3 * r.nextGaussian();
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("lr", lr);
            s.put("u", u);
            s.put("c", c);
            out.add(new SettingImportance.Point(s, y));
        }
        return out;
    }

    /** The points as CSV, for optuna_importance.py. */
    static Path write(Path dir, String name, List<SettingImportance.Point> points) throws IOException {
        List<String> names = new ArrayList<>(points.get(0).settings().keySet());
        StringBuilder sb = new StringBuilder(String.join(",", names) + ",y\n");
        for (SettingImportance.Point p : points) {
            for (String n : names) {
                Object v = p.settings().get(n);
                sb.append(v instanceof Double d ? String.format(Locale.ROOT, "%.17g", d) : String.valueOf(v)).append(',');
            }
            sb.append(String.format(Locale.ROOT, "%.17g%n", p.score()));
        }
        return Files.writeString(dir.resolve(name + ".csv"), sb);
    }

    static double spearman(List<SettingImportance.Point> points, String setting) {
        double[] x = points.stream().mapToDouble(p -> ((Number) p.settings().get(setting)).doubleValue()).toArray();
        double[] y = points.stream().mapToDouble(SettingImportance.Point::score).toArray();
        return new SpearmansCorrelation().correlation(x, y);
    }

    @Test
    void nonMonotoneLrDominatesWhereItsRankCorrelationIsNearZero() throws IOException {
        List<SettingImportance.Point> points = points(200, false, 44);
        SettingImportance.Result r = SettingImportance.of(points, LOG, 0);
        double rho = spearman(points, "lr");
        System.out.printf(Locale.ROOT, "lr_only: %s, spearman(lr, y) = %+.3f, spearman(u, y) = %+.3f%n",
                r.importance(), rho, spearman(points, "u"));
        assertEquals(1.0, r.importance().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
        assertEquals(List.of("lr", "u", "c"), new ArrayList<>(r.importance().keySet()));
        assertTrue(Math.abs(rho) < 0.2, "rho " + rho);
        assertTrue(r.importance().get("lr") > 0.6, r.importance().toString());
        assertTrue(r.importance().get("lr") > 3 * r.importance().get("u"), r.importance().toString());
        assertTrue(r.importance().get("lr") > 3 * r.importance().get("c"), r.importance().toString());
        assertEquals(200, r.pointsUsed());
    }

    @Test
    void aChoiceOfWordsThatMattersGetsImportance() throws IOException {
        List<SettingImportance.Point> points = points(200, true, 45);
        SettingImportance.Result r = SettingImportance.of(points, LOG, 0);
        System.out.printf(Locale.ROOT, "lr_and_choice: %s%n", r.importance());
        assertTrue(r.importance().get("c") > 0.2, r.importance().toString());
        assertTrue(r.importance().get("lr") > 0.2, r.importance().toString());
        assertTrue(r.importance().get("u") < 0.1, r.importance().toString());
    }

    /**
     * Optuna's MDI evaluator (scikit-learn's forest) on the same points, five seeds each: the two forests draw their
     * bootstraps and break ties between equal splits differently, so they agree in expectation, not seed by seed, and
     * their expectations differ by a few thousandths (scikit-learn fits a bootstrap's repeats as weights, splits at
     * midpoints of its own rounding). Each setting's mean importance must agree within five standard errors of the
     * difference of the two means (from both sides' seed spread) plus 0.02 for the implementations' own difference;
     * a setting's importance confused with another's moves by tenths.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"lr_only, false, 44", "lr_and_choice, true, 45"})
    void agreesWithOptunasEvaluator(String name, boolean choiceMatters, long seed, @TempDir Path dir)
            throws Exception {
        List<SettingImportance.Point> points = points(200, choiceMatters, seed);
        Path csv = write(dir, name, points);
        int seeds = 5;
        List<Map<String, Double>> optuna = new ArrayList<>();
        for (String line : PeerPython.run(Path.of("src/test/python/optuna_importance.py"), csv.toString(),
                Integer.toString(seeds)).lines().filter(l -> l.startsWith("{")).toList()) {
            Map<String, Double> m = new LinkedHashMap<>();
            ConfigFactory.parseString(line).root().unwrapped().forEach((k, v) -> m.put(k, ((Number) v).doubleValue()));
            optuna.add(m);
        }
        assertEquals(seeds, optuna.size());
        List<Map<String, Double>> ours = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            ours.add(SettingImportance.of(points, LOG, s).importance());
        }
        for (String setting : LOG.keySet()) {
            double[] a = ours.stream().mapToDouble(m -> m.get(setting)).toArray();
            double[] b = optuna.stream().mapToDouble(m -> m.get(setting)).toArray();
            double se = Math.sqrt(variance(a) / seeds + variance(b) / seeds);
            double diff = mean(a) - mean(b);
            System.out.printf(Locale.ROOT, "%s %s: ours %.4f, Optuna's %.4f (se of the difference %.4f)%n", name,
                    setting, mean(a), mean(b), se);
            assertTrue(Math.abs(diff) <= 0.02 + 5 * se, name + " " + setting + ": ours " + mean(a)
                    + ", Optuna's " + mean(b));
        }
    }

    private static double mean(double[] x) {
        return java.util.Arrays.stream(x).average().orElseThrow();
    }

    private static double variance(double[] x) {
        double m = mean(x);
        return java.util.Arrays.stream(x).map(v -> (v - m) * (v - m)).sum() / (x.length - 1);
    }

    @Test
    void theSameForASeedWhateverTheOrderOfThePoints() {
        List<SettingImportance.Point> points = points(300, true, 46);
        SettingImportance.Result a = SettingImportance.of(points, LOG, 7);
        List<SettingImportance.Point> shuffled = new ArrayList<>(points);
        Collections.shuffle(shuffled, new Random(1));
        assertEquals(a, SettingImportance.of(shuffled, LOG, 7));
        SettingImportance.Result b = SettingImportance.of(points, LOG, 8);
        System.out.printf(Locale.ROOT, "seed 7: %s%nseed 8: %s%n", a.importance(), b.importance());
        assertEquals(a.importance().get("c"), b.importance().get("c"), 0.1);
    }

    @Test
    void integersAreNumbersAndEdgeCasesAreNamed() {
        List<SettingImportance.Point> points = new ArrayList<>();
        Random r = new Random(3);
        for (int i = 0; i < 100; i++) {
            int batch = 32 << r.nextInt(4);
            double t = r.nextDouble();
            points.add(new SettingImportance.Point(Map.of("batch", batch, "t", t), batch >= 128 ? 1 : 0));
        }
        Map<String, Boolean> log = new LinkedHashMap<>();
        log.put("batch", true);
        log.put("t", false);
        SettingImportance.Result res = SettingImportance.of(points, log, 0);
        assertTrue(res.importance().get("batch") > 0.99, res.importance().toString());
        // a constant score: nothing to explain
        List<SettingImportance.Point> flat = points.stream()
                .map(p -> new SettingImportance.Point(p.settings(), 5)).toList();
        assertEquals(0.0, SettingImportance.of(flat, log, 0).importance().get("t"));
        // fewer than two usable points (a NaN score and a missing setting are dropped)
        SettingImportance.Result few = SettingImportance.of(List.of(points.get(0),
                new SettingImportance.Point(points.get(1).settings(), Double.NaN),
                new SettingImportance.Point(Map.of("t", 0.5), 1)), log, 0);
        assertTrue(Double.isNaN(few.importance().get("t")));
        assertEquals(1, few.pointsUsed());
        assertEquals(3, few.pointsGiven());
    }
}
