package dev.augsweep.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.augsweep.config.TrialConfigs;
import dev.augsweep.search.SearchSpace;
import dev.augsweep.search.tpe.TpeHistory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The model's view of a search is kept as results arrive instead of rebuilt per proposal; it must be the view a
 * rebuild from every event so far gives, through rungs, seeds that fail, and the budget moving up (BOHB's rule).
 */
class TpeProposalsTest {
    @Test
    void theViewKeptAsResultsArriveIsTheOneARebuildGives() {
        SearchSpace space = SearchSpace.parse(ConfigFactory.parseString("samples = 60, sampler = tpe, startup = 4, "
                + "seed = 5, lr = \"loguniform(0.01, 1.0)\", strength = \"uniform(0.1, 1.0)\""), "job.conf",
                TrialConfigs.defaults(), new ArrayList<>());
        TpeProposals kept = new TpeProposals(space);
        List<Consumer<TpeProposals>> events = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(11);
        List<String[]> running = new ArrayList<>(); // [cell, trial, epoch reached]
        int[] rungs = {1, 3, 9};
        while (!kept.exhausted() || !running.isEmpty()) {
            if (!kept.exhausted() && (running.size() < 8 || rng.nextInt(3) == 0)) {
                TpeProposals.Proposal p = kept.next();
                int index = p.sample().index();
                Map<String, List<String>> cells = new LinkedHashMap<>();
                cells.put("cell" + index, List.of("t" + index + "a", "t" + index + "b"));
                events.add(t -> {
                    if (t != kept) {
                        t.replay(p.sample(), p.draws());
                    }
                    t.cells(p.sample(), cells);
                });
                running.add(new String[] {"cell" + index, "t" + index + "a", "0"});
                running.add(new String[] {"cell" + index, "t" + index + "b", "0"});
            } else {
                String[] r = running.get(rng.nextInt(running.size()));
                int done = Integer.parseInt(r[2]);
                int epoch = rungs[java.util.Arrays.binarySearch(rungs, done) + 1 < 0 ? 0
                        : java.util.Arrays.binarySearch(rungs, done) + 1];
                double metric = rng.nextDouble() * 50 + epoch;
                int roll = rng.nextInt(10);
                Consumer<TpeProposals> e;
                if (roll == 0) {
                    e = t -> t.failed(r[0], r[1]);
                    running.remove(r);
                } else {
                    e = t -> t.reached(r[0], r[1], epoch, metric);
                    r[2] = Integer.toString(epoch);
                    if (epoch == 9 || roll < 4) { // trained to its end, or the schedule stopped it here
                        Consumer<TpeProposals> reached = e;
                        e = t -> {
                            reached.accept(t);
                            t.ended(r[0], r[1]);
                        };
                        running.remove(r);
                    }
                }
                events.add(e);
            }
            events.get(events.size() - 1).accept(kept);
            TpeProposals rebuilt = new TpeProposals(space);
            events.forEach(e -> e.accept(rebuilt));
            assertSame(kept.history(), rebuilt.history(), events.size());
        }
        assertThat(events.size()).isGreaterThan(150);
    }

    /**
     * Optuna's rule: Sobol' points until {@code startup} cells have results, however many are proposed before (every
     * slot of a cluster at once); the model from then on. A space with fewer distinct points than that goes on with
     * the model instead of failing.
     */
    @Test
    void sobolPointsUntilStartupCellsHaveResults() {
        SearchSpace space = parse("samples = 12, sampler = tpe, startup = 3, seed = 2, lr = \"loguniform(0.01, 1.0)\", "
                + "strength = \"uniform(0.1, 1.0)\"");
        List<dev.augsweep.search.Sample> sobol = space.first(12);
        TpeProposals t = new TpeProposals(space);
        for (int i = 0; i < 5; i++) {
            TpeProposals.Proposal p = propose(t);
            assertThat(p.sample()).as("proposal %d before any result", i).isEqualTo(sobol.get(i));
            assertThat(p.draws()).isZero();
        }
        for (int i = 0; i < 2; i++) {
            t.reached("cell" + i, "t" + i, 3, 10.0 + i);
            t.ended("cell" + i, "t" + i);
        }
        assertThat(propose(t).sample()).as("two results of three").isEqualTo(sobol.get(5));
        t.reached("cell2", "t2", 3, 12.0);
        t.ended("cell2", "t2");
        assertThat(propose(t).draws()).as("three results: the model proposes").isPositive();

        TpeProposals small = new TpeProposals(parse("samples = 4, sampler = tpe, startup = 3, seed = 2, "
                + "augs = \"choice(ab, abc)\""));
        List<Integer> draws = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            draws.add(propose(small).draws());
        }
        assertThat(draws).as("two distinct points, then the model").containsExactly(0, 0, 32, 32);
    }

    private static SearchSpace parse(String block) {
        List<String> problems = new ArrayList<>();
        SearchSpace space = SearchSpace.parse(ConfigFactory.parseString(block), "job.conf", TrialConfigs.defaults(),
                problems);
        assertThat(problems).isEmpty();
        return space;
    }

    /** The next proposal, its one cell registered as the driver registers it (one seed). */
    private static TpeProposals.Proposal propose(TpeProposals t) {
        TpeProposals.Proposal p = t.next();
        int i = p.sample().index();
        t.cells(p.sample(), Map.of("cell" + i, List.of("t" + i)));
        return p;
    }

    private static void assertSame(TpeHistory a, TpeHistory b, int event) {
        assertThat(a.size()).as("rows after event %d", event).isEqualTo(b.size());
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.outcome(i)).as("row %d after event %d", i, event).isEqualTo(b.outcome(i));
        }
    }
}
