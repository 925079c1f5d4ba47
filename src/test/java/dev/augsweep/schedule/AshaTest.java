package dev.augsweep.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ASHA's promotions against a plain implementation of the paper's rule (Li et al., MLSys 2020, Algorithm 2:
 * get_job promotes a configuration in top_k(rung k, |rung k| / eta) not yet promoted, highest rung first), on
 * random asynchronous completion orders, with a driver restart halfway.
 */
class AshaTest {
    private static final Halving ASHA = new Halving(Halving.ASHA, List.of(1, 3, 9), 1.0 / 3, "knn_top1", List.of());
    private static final List<Integer> PAUSES = List.of(1, 3);

    /** The paper's rule, trial by trial: what was reported at each rung, and what was promoted from it. */
    private static final class Reference {
        final Map<Integer, List<Map.Entry<String, Double>>> rungs = new HashMap<>();
        final Set<String> promoted = new LinkedHashSet<>(); // "trial@rung"

        void report(String trial, int rung, double metric) {
            rungs.computeIfAbsent(rung, k -> new ArrayList<>()).add(Map.entry(trial, metric));
        }

        /** get_job's promotions, repeated until it would draw a new configuration instead. */
        List<String> promote() {
            List<String> out = new ArrayList<>();
            for (boolean again = true; again; ) {
                again = false;
                for (int k = PAUSES.size() - 1; k >= 0 && !again; k--) {
                    int rung = PAUSES.get(k);
                    List<Map.Entry<String, Double>> at = new ArrayList<>(rungs.getOrDefault(rung, List.of()));
                    at.sort(Map.Entry.<String, Double>comparingByValue().reversed());
                    int top = (int) Math.floor(at.size() / 3.0);
                    for (Map.Entry<String, Double> e : at.subList(0, top)) {
                        if (promoted.add(e.getKey() + "@" + rung)) {
                            out.add(e.getKey() + "@" + rung);
                            again = true;
                            break;
                        }
                    }
                }
            }
            return out;
        }
    }

    private static HalvingLadder ladder(Halving schedule, int n) {
        List<HalvingLadder.Cell> cells = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            cells.add(new HalvingLadder.Cell("c" + i, "cell " + i, "g", List.of("t" + i), 9));
        }
        return new HalvingLadder(schedule, cells);
    }

    private static Set<String> promotions(List<HalvingLadder.Decision> decisions) {
        Set<String> p = new HashSet<>();
        decisions.stream().filter(HalvingLadder.Decision::promoted).forEach(d -> p.add("t" + d.cell().substring(1)
                + "@" + d.rung()));
        return p;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void promotionsMatchThePapersRuleOnRandomCompletionOrdersAcrossARestart(int seed) {
        int n = 60;
        Random random = new Random(seed);
        Map<String, Double> metric = new HashMap<>();
        List<String> pending = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pending.add("t" + i + "@1");
        }
        Reference reference = new Reference();
        HalvingLadder ladder = ladder(ASHA, n);
        List<HalvingLadder.Decision> log = new ArrayList<>();
        List<String[]> reports = new ArrayList<>();
        Set<String> ours = new HashSet<>();
        int step = 0;
        while (!pending.isEmpty()) {
            String next = pending.remove(random.nextInt(pending.size())); // any running trial may end next
            String trial = next.substring(0, next.indexOf('@'));
            int rung = Integer.parseInt(next.substring(next.indexOf('@') + 1));
            double m = metric.computeIfAbsent(next, k -> random.nextDouble() * 100);
            reference.report(trial, rung, m);
            reports.add(new String[] {trial, String.valueOf(rung), String.valueOf(m)});
            ladder.paused(trial, rung, m);
            List<HalvingLadder.Decision> decided = ladder.decide();
            log.addAll(decided);
            Set<String> now = promotions(decided);
            ours.addAll(now);
            List<String> expected = reference.promote();
            assertThat(now).as("step %d (%s)", step, next).containsExactlyInAnyOrderElementsOf(expected);
            for (String p : now) {
                int from = Integer.parseInt(p.substring(p.indexOf('@') + 1));
                if (from == 1) {
                    pending.add(p.replace("@1", "@3"));
                }
            }
            if (++step == n / 2) { // the driver restarts: a new ladder from the decisions and reports on record
                HalvingLadder restarted = ladder(ASHA, n);
                log.forEach(restarted::apply);
                reports.forEach(r -> restarted.paused(r[0], Integer.parseInt(r[1]), Double.parseDouble(r[2])));
                assertThat(promotions(restarted.decide())).as("decisions after the restart").isEmpty();
                ladder = restarted;
            }
        }
        assertThat(ours).isEqualTo(reference.promoted);
        // Every trial not promoted was stopped at its rung once the rung was complete: none is left waiting.
        for (int i = 0; i < n; i++) {
            String t = "t" + i;
            assertThat(ladder.stopped(t) || ladder.target(t) == 9).as(t).isTrue();
        }
    }

    @Test
    void withTrialsArrivingBestFirstAshaKeepsWhatSynchronousHalvingKeeps() {
        int n = 30;
        Random random = new Random(11);
        double[][] m = new double[n][2];
        for (double[] row : m) {
            row[0] = random.nextDouble() * 100;
            row[1] = random.nextDouble() * 100;
        }
        HalvingLadder asha = ladder(ASHA, n);
        HalvingLadder sync = ladder(new Halving(Halving.HALVING, List.of(1, 3, 9), 1.0 / 3, "knn_top1", List.of()), n);
        Set<String> ashaKept = new HashSet<>();
        Set<String> syncKept = new HashSet<>();
        for (int r = 0; r < 2; r++) {
            int rung = PAUSES.get(r);
            int col = r;
            List<Integer> arrivals = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (r == 0 || ashaKept.contains("t" + i + "@1")) {
                    arrivals.add(i);
                }
            }
            arrivals.sort(Comparator.comparingDouble(i -> -m[i][col])); // best first
            for (int i : arrivals) {
                asha.paused("t" + i, rung, m[i][col]);
                ashaKept.addAll(promotions(asha.decide()));
                sync.paused("t" + i, rung, m[i][col]);
            }
            syncKept.addAll(promotions(sync.decide())); // all in, then one decision
        }
        assertThat(ashaKept).isEqualTo(syncKept).hasSize(10 + 3);
    }

    @Test
    void jobFilesNameAshaByItsReductionFactor() {
        List<String> problems = new ArrayList<>();
        Halving h = Halving.parse(ConfigFactory.parseString("kind = asha, rungs = [3, 9, 27], reduction = 4"),
                "job.conf", 27, problems);
        assertThat(problems).isEmpty();
        assertThat(h.asynchronous()).isTrue();
        assertThat(h.keep()).isEqualTo(0.25);
        Halving.parse(ConfigFactory.parseString("kind = asha, rungs = [3], reduction = 1, keep = 1/2"), "job.conf",
                27, problems);
        assertThat(String.join("\n", problems)).contains("schedule.keep in job.conf is halving's")
                .contains("schedule.reduction = 1.0 in job.conf must be above 1");
    }
}
