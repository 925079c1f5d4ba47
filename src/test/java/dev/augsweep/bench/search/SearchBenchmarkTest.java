package dev.augsweep.bench.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.augsweep.search.Distribution;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SearchBenchmarkTest {
    /** An objective of one's own: a bowl in log10(lr), its minimum 0 at lr 0.003. */
    private static final Objective BOWL = new Objective() {
        @Override
        public String name() {
            return "bowl";
        }

        @Override
        public Map<String, Distribution> space() {
            Map<String, Distribution> s = new LinkedHashMap<>();
            s.put("lr", new Distribution.LogUniform(1e-5, 1));
            return s;
        }

        @Override
        public double value(Map<String, Object> p, SplittableRandom noise) {
            return noiseless(p);
        }

        @Override
        public double noiseless(Map<String, Object> p) {
            double d = Math.log10(((Number) p.get("lr")).doubleValue()) - Math.log10(0.003);
            return d * d;
        }

        @Override
        public double minimum() {
            return 0;
        }
    };

    @Test
    void aRegretCurveFallsNeverRisesAndRepeatsForItsSeed() {
        for (String sampler : SearchBenchmark.SAMPLERS) {
            double[] r = SearchBenchmark.run(BOWL, sampler, 3, 40, 4);
            assertThat(r).hasSize(40);
            for (int i = 1; i < r.length; i++) {
                assertThat(r[i]).as(sampler + " trial " + i).isLessThanOrEqualTo(r[i - 1]).isGreaterThanOrEqualTo(0);
            }
            assertThat(SearchBenchmark.run(BOWL, sampler, 3, 40, 4)).containsExactly(r);
        }
    }

    /** The model learns: after its 10 startup points, TPE's median regret over 10 seeds falls below random's. */
    @Test
    void tpeFindsAnObjectiveOfOnesOwnFasterThanRandomPoints() {
        double[] tpe = new double[10];
        double[] random = new double[10];
        for (int seed = 0; seed < 10; seed++) {
            tpe[seed] = SearchBenchmark.run(BOWL, "tpe", seed, 40, 4)[39];
            random[seed] = SearchBenchmark.run(BOWL, "random", seed, 40, 4)[39];
        }
        Arrays.sort(tpe);
        Arrays.sort(random);
        assertThat(tpe[5]).isLessThan(random[5]);
    }

    /** The functions' constants: each takes its published minimum at its published optimum. */
    @Test
    void theFunctionsTakeTheirMinimaAtTheirOptima() {
        Map<String, Objective> f = new LinkedHashMap<>();
        Objectives.all().forEach(o -> f.put(o.name(), o));
        assertThat(f.get("branin").noiseless(Map.of("x1", Math.PI, "x2", 2.275))).isCloseTo(0.397887, within(1e-6));
        double[] x = {0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573};
        Map<String, Object> h = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            h.put("x" + (i + 1), x[i]);
        }
        assertThat(f.get("hartmann6").noiseless(h)).isCloseTo(-3.32237, within(1e-5));
        assertThat(f.get("lr-strength").noiseless(Map.of("lr", 0.01, "strength", 0.6))).isCloseTo(0, within(1e-12));
        assertThat(f.get("mixed").noiseless(Map.of("x", 1.0, "n", 7, "c", "b"))).isZero();
        assertThat(List.copyOf(f.keySet())).containsExactly("branin", "hartmann6", "lr-strength", "mixed");
    }
}
