package dev.augsweep.search.tpe;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
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
 * mixed space (uniform, loguniform, intrange, choice), objective, pruning rule, ask/tell schedule and seed; the Java
 * study runs free, never corrected from Optuna's values, so one divergence would show in every later trial. Every
 * trial's settings must be Optuna's: integers and choices equal, floats within 1e-12 (last-bit differences of
 * vectorised and scalar libm; a tie broken by such a bit is the one case where Optuna disagrees with itself).
 */
class TpeVsOptunaTest {
    private static final double TOLERANCE = 1e-12;

    private static Map<String, Distribution> space() {
        Map<String, Distribution> s = new LinkedHashMap<>();
        s.put("x", new Distribution.Uniform(-5, 5));
        s.put("lr", new Distribution.LogUniform(1e-4, 1e-1));
        s.put("n", new Distribution.IntRange(1, 10));
        s.put("c", new Distribution.Choice(List.of("a", "b", "c")));
        return s;
    }

    /** optuna_study.py's objective, maximised. */
    private static double score(Map<String, Object> p) {
        double x = (Double) p.get("x");
        double l = Math.log10((Double) p.get("lr")) + 2.0;
        int n = (Integer) p.get("n");
        double penalty = switch ((String) p.get("c")) {
            case "a" -> 1.0;
            case "b" -> 0.0;
            default -> 2.0;
        };
        return -((x - 1.0) * (x - 1.0) + l * l + 0.1 * ((n - 7) * (n - 7)) + penalty);
    }

    /** optuna_study.py's pruning rule (pruned-hard: few trials complete, so "below" holds pruned ones). */
    private static Observation pruned(Map<String, Object> p) {
        double s = score(p);
        if ((Double) p.get("x") > 4.6) {
            return Observation.PRUNED_UNREPORTED;
        }
        if (s - 1.0 < -4.0) {
            return new Observation.Pruned(1, s - 1.0);
        }
        double v3 = (Integer) p.get("n") == 10 ? Double.NaN : s - 0.25;
        return Double.isNaN(v3) || v3 < -1.5 ? new Observation.Pruned(3, v3) : new Observation.Complete(s);
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @CsvSource({"seq, 0", "seq, 1", "liar, 2", "pruned-hard, 3"})
    void proposesWhatOptunaProposes(String mode, int seed) throws Exception {
        List<Config> optuna = new ArrayList<>();
        for (String line : PeerPython.run(Path.of("src/test/python/optuna_study.py"), mode, Integer.toString(seed))
                .lines().filter(l -> l.startsWith("{")).toList()) {
            optuna.add(ConfigFactory.parseString(line.replace("NaN", "null")));
        }
        assertThat(optuna).hasSize(60);
        Map<String, Distribution> space = space();
        OptunaTpeSampler sampler = new OptunaTpeSampler(space, seed,
                Tpe.Settings.optuna().withConstantLiar(mode.equals("liar")));
        TpeHistory history = TpeHistory.of(space);
        List<Map<String, Object>> ours = new ArrayList<>();
        if (mode.equals("liar")) { // 4 in flight: ask until 4 run, tell the oldest, repeat
            ArrayDeque<Integer> flight = new ArrayDeque<>();
            while (ours.size() < optuna.size() || !flight.isEmpty()) {
                while (flight.size() < 4 && ours.size() < optuna.size()) {
                    Map<String, Object> p = sampler.propose(history);
                    ours.add(p);
                    flight.add(history.add(p, Observation.RUNNING));
                }
                int t = flight.poll();
                history.update(t, new Observation.Complete(score(ours.get(t))));
            }
        } else {
            for (int i = 0; i < optuna.size(); i++) {
                Map<String, Object> p = sampler.propose(history);
                ours.add(p);
                history.add(p, mode.equals("seq") ? new Observation.Complete(score(p)) : pruned(p));
            }
        }
        for (int i = 0; i < optuna.size(); i++) {
            Config theirs = optuna.get(i).getConfig("params");
            Map<String, Object> p = ours.get(i);
            String trial = mode + " seed " + seed + " trial " + i + ": ours " + p + ", Optuna's " + theirs.root()
                    .render(com.typesafe.config.ConfigRenderOptions.concise());
            assertThat((Double) p.get("x")).as(trial).isCloseTo(theirs.getDouble("x"),
                    org.assertj.core.data.Offset.offset(TOLERANCE * Math.max(1, Math.abs(theirs.getDouble("x")))));
            assertThat((Double) p.get("lr")).as(trial).isCloseTo(theirs.getDouble("lr"),
                    org.assertj.core.data.Offset.offset(TOLERANCE * theirs.getDouble("lr")));
            assertThat(p.get("n")).as(trial).isEqualTo(theirs.getInt("n"));
            assertThat(p.get("c")).as(trial).isEqualTo(theirs.getString("c"));
        }
    }
}
