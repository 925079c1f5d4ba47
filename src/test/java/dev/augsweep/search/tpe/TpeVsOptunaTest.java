package dev.augsweep.search.tpe;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import dev.augsweep.search.Distribution;
import dev.augsweep.testing.PeerPython;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our TPE against Optuna 3.1's TPESampler itself (Debian's python3-optuna, src/test/python/optuna_study.py): the same
 * mixed space (uniform, loguniform, intrange, choice), pruning rule, ask/tell schedule and seed. Each trial our
 * sampler proposes from Optuna's history so far (its trials' settings and outcomes), so every trial is judged on its
 * own: integers and choices must be Optuna's, floats within 1e-12 (vectorised and scalar libm differ in the last
 * bits). The one admitted difference is a tie: TPE keeps the candidate with the highest log l - log g, and two
 * candidates whose scores are equal up to rounding (a choice that neither group has seen scores 0 for every
 * category) are told apart by the last bits of a logsumexp, which differ between CPUs; Optuna disagrees with itself
 * there. Our pick must then be one of Optuna's candidates with a score within the rounding bound of its best.
 */
class TpeVsOptunaTest {
    private static final double TOLERANCE = 1e-12;
    private static final double EPSILON = Math.ulp(1.0);
    private static final List<String> CHOICES = List.of("a", "b", "c");

    private static Map<String, Distribution> space() {
        Map<String, Distribution> s = new LinkedHashMap<>();
        s.put("x", new Distribution.Uniform(-5, 5));
        s.put("lr", new Distribution.LogUniform(1e-4, 1e-1));
        s.put("n", new Distribution.IntRange(1, 10));
        s.put("c", new Distribution.Choice(List.of("a", "b", "c")));
        return s;
    }

    /** A trial's settings as our sampler takes them. */
    private static Map<String, Object> settings(Config trial) {
        Config p = trial.getConfig("params");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("x", p.getDouble("x"));
        m.put("lr", p.getDouble("lr"));
        m.put("n", p.getInt("n"));
        m.put("c", p.getString("c"));
        return m;
    }

    /** A finished trial's outcome as Optuna recorded it (a NaN report is written as null). */
    private static Observation outcome(Config trial) {
        if (trial.getString("state").equals("COMPLETE")) {
            return new Observation.Complete(trial.getDouble("value"));
        }
        Config reports = trial.getConfig("intermediate");
        long last = reports.root().keySet().stream().mapToLong(Long::parseLong).max().orElse(-1);
        if (last < 0) {
            return Observation.PRUNED_UNREPORTED;
        }
        String key = "\"" + last + "\"";
        return new Observation.Pruned(last, reports.getIsNull(key) ? Double.NaN : reports.getDouble(key));
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @CsvSource({"seq, 0", "seq, 1", "liar, 2", "pruned-hard, 3", "multi, 4", "multi-liar, 5"})
    void proposesWhatOptunaProposes(String mode, int seed) throws Exception {
        List<Config> optuna = new ArrayList<>();
        for (String line : PeerPython.run(Path.of("src/test/python/optuna_study.py"), mode, Integer.toString(seed))
                .lines().filter(l -> l.startsWith("{")).toList()) {
            optuna.add(ConfigFactory.parseString(line.replace("NaN", "null")));
        }
        assertThat(optuna).hasSize(60);
        Map<String, Distribution> space = space();
        OptunaTpeSampler sampler = new OptunaTpeSampler(space, seed,
                Tpe.Settings.optuna().withConstantLiar(mode.endsWith("liar"))
                        .withMultivariate(mode.startsWith("multi")));
        TpeHistory history = TpeHistory.of(space);
        int ties = 0;
        if (mode.endsWith("liar")) { // 4 in flight: ask until 4 run, tell the oldest, repeat
            ArrayDeque<Integer> flight = new ArrayDeque<>();
            int asked = 0;
            while (asked < optuna.size() || !flight.isEmpty()) {
                while (flight.size() < 4 && asked < optuna.size()) {
                    ties += judge(mode, seed, sampler.propose(history), optuna.get(asked), asked);
                    flight.add(history.add(settings(optuna.get(asked)), Observation.RUNNING));
                    asked++;
                }
                int t = flight.poll();
                history.update(t, outcome(optuna.get(t)));
            }
        } else {
            for (int i = 0; i < optuna.size(); i++) {
                ties += judge(mode, seed, sampler.propose(history), optuna.get(i), i);
                history.add(settings(optuna.get(i)), outcome(optuna.get(i)));
            }
        }
        assertThat(ties).as("trials decided by a tie").isLessThan(optuna.size() / 4);
    }

    /** Asserts our proposal is Optuna's trial {@code i}, or ties with it; 1 if it was a tie. */
    private static int judge(String mode, int seed, Map<String, Object> ours, Config optuna, int i) {
        String trial = mode + " seed " + seed + " trial " + i + ": ours " + ours + ", Optuna's "
                + optuna.getConfig("params").root().render(ConfigRenderOptions.concise());
        Map<String, Object> theirs = settings(optuna);
        int ties = 0;
        for (String name : theirs.keySet()) {
            double o = internal(ours.get(name));
            double t = internal(theirs.get(name));
            if (Math.abs(o - t) <= TOLERANCE * Math.max(1, Math.abs(t))) {
                continue;
            }
            String at = "\"" + name + "\"";
            assertThat(optuna.hasPath("candidates." + at)).as("%s: %s differs in a startup draw", trial, name).isTrue();
            Config c = optuna.getConfig("candidates").getConfig(at);
            List<Double> samples = c.getDoubleList("samples");
            List<Double> logL = c.getDoubleList("log_l");
            List<Double> logG = c.getDoubleList("log_g");
            int best = 0;
            int mine = -1;
            for (int j = 0; j < samples.size(); j++) {
                if (logL.get(j) - logG.get(j) > logL.get(best) - logG.get(best)) {
                    best = j;
                }
                if (mine < 0 && Math.abs(samples.get(j) - o) <= TOLERANCE * Math.max(1, Math.abs(o))) {
                    mine = j;
                }
            }
            assertThat(mine).as("%s: our %s is none of Optuna's candidates %s", trial, name, samples)
                    .isNotNegative();
            // Each log density is a logsumexp over at most i + 1 components (the trials so far and the prior):
            // rounding moves it by a few ulps per component, relative to the magnitudes involved.
            double scale = 1 + Math.abs(logL.get(mine)) + Math.abs(logG.get(mine)) + Math.abs(logL.get(best))
                    + Math.abs(logG.get(best));
            double bound = 4.0 * (i + 1) * EPSILON * scale;
            double gap = (logL.get(best) - logG.get(best)) - (logL.get(mine) - logG.get(mine));
            assertThat(gap).as("%s: %s is Optuna's candidate %d, whose score is below its best %d's by more than "
                    + "rounding (%g)", trial, name, mine, best, bound).isLessThanOrEqualTo(bound);
            ties = 1;
        }
        return ties;
    }

    /** A setting as TPE's candidates are written: numbers as they are, a choice as its index. */
    private static double internal(Object value) {
        return value instanceof String s ? CHOICES.indexOf(s) : ((Number) value).doubleValue();
    }
}
