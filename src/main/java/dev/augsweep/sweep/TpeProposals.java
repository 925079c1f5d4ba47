package dev.augsweep.sweep;

import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.search.Distribution;
import dev.augsweep.search.Sample;
import dev.augsweep.search.SearchSpace;
import dev.augsweep.search.tpe.Observation;
import dev.augsweep.search.tpe.Tpe;
import dev.augsweep.search.tpe.TpeHistory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A tpe search's proposals, made as slots free and results arrive: the scrambled Sobol' sequence's samples until
 * {@code startup} cells have results, the Tree-structured Parzen Estimator's ({@link Tpe}, Optuna 3.1's TPESampler)
 * after. As Optuna waits for {@code n_startup_trials} finished trials (not proposals), the points proposed while the
 * first results are awaited (every slot of a cluster at once) fill the space as Sobol' points rather than come from a
 * model that has seen nothing. The model learns from cells (a sample's trials but their seeds, scored by their seeds'
 * mean), in proposal order:
 * <ul>
 *   <li>under a schedule, from the highest rung that enough cells reached (BOHB's rule, Falkner et al., 2018: at
 *       least {@code startup} of them), so that the cells a rung stopped inform it as early as they can; cells that
 *       stopped below that rung are left out, as BOHB leaves out other budgets;</li>
 *   <li>cells still training count as the worst (Optuna's constant liar), so that proposals made while they run do
 *       not pile up on one spot; cells whose every seed failed are left out, as Optuna leaves out failed trials.</li>
 * </ul>
 * The same job, seed and arrival order give the same points. Each proposal says how many of the model's draws it
 * took (a value that rounds like an earlier sample's is drawn again), so a driver restarted from the recorded
 * proposals continues the model's random stream exactly; a different arrival order gives the model other results
 * when it proposes, and so other points.
 */
final class TpeProposals {
    /** Model draws a proposal may take before a point that repeats an earlier sample is accepted as the end. */
    private static final int REDRAWS = 32;
    private final SearchSpace space;
    private final Tpe tpe;
    /** The Sobol' samples computed so far (the sequence is indexed by proposal). */
    private List<Sample> sobol = List.of();
    private final List<Sample> proposed = new ArrayList<>();
    private final Set<Map<String, Object>> seen = new HashSet<>();
    private final Map<Integer, List<String>> cellsOfSample = new HashMap<>();
    private final Map<String, Cell> cells = new LinkedHashMap<>();
    /** Epoch: the cells whose live seeds all have a metric there (what BOHB's rule counts). */
    private final Map<Integer, Integer> cellsAt = new TreeMap<>();
    /**
     * The model's view, kept as results arrive (a cell's row updated in place) and rebuilt only when the budget moves
     * up a rung: rebuilding it per proposal cost time growing with the search (33 ms a trial at 10,000 points).
     */
    private TpeHistory history;
    private int historyBudget;
    private final Map<String, List<Integer>> rowsOfCell = new HashMap<>(); // a repeated point: two rows
    private long draws;

    /** One cell's results: per epoch reached, each live seed's metric; how many seeds it has, failed or finished. */
    private static final class Cell {
        final int seeds;
        final Map<Integer, Map<String, Double>> metrics = new TreeMap<>();
        final Set<String> failed = new HashSet<>();
        final Set<String> ended = new HashSet<>();
        /** The epochs at which {@link #at} has a mean, as {@code cellsAt} counts this cell. */
        final Set<Integer> complete = new HashSet<>();

        Cell(int seeds) {
            this.seeds = seeds;
        }

        /** The mean over its live seeds at {@code epoch}, once every live seed has a metric there; else null. */
        Double at(int epoch) {
            Map<String, Double> m = metrics.getOrDefault(epoch, Map.of());
            long live = seeds - failed.size();
            if (live <= 0 || m.keySet().stream().filter(t -> !failed.contains(t)).count() < live) {
                return null;
            }
            return m.entrySet().stream().filter(e -> !failed.contains(e.getKey())).mapToDouble(Map.Entry::getValue)
                    .average().orElseThrow();
        }

        boolean over() {
            return ended.size() + failed.size() >= seeds;
        }
    }

    TpeProposals(SearchSpace space) {
        this.space = space;
        SearchSpace.Adaptive a = space.adaptive();
        this.tpe = new Tpe(space.parameters(), space.seed(), Tpe.Settings.defaults().withStartupTrials(a.startup())
                .withCandidates(a.candidates()).withGamma(a.gamma()).withConstantLiar(true)
                .withMultivariate(a.multivariate()));
    }

    int count() {
        return proposed.size();
    }

    boolean exhausted() {
        return proposed.size() >= space.samples();
    }

    /**
     * A proposal recorded before (a restarted driver): its sample, and the model draws it took ({@code draws},
     * 0 for a startup point).
     */
    void replay(Sample sample, long modelDraws) {
        proposed.add(sample);
        seen.add(sample.values());
        draws += modelDraws;
        tpe.skip(modelDraws);
    }

    /** The cells a sample's trials form, each with its seeds (trial ids), as they are registered. */
    void cells(Sample sample, Map<String, List<String>> trialsOfCell) {
        cellsOfSample.put(sample.index(), List.copyOf(trialsOfCell.keySet()));
        trialsOfCell.forEach((cell, trials) -> cells.putIfAbsent(cell, new Cell(trials.size())));
        if (history != null) {
            for (String key : cellsOfSample.get(sample.index())) {
                rowsOfCell.computeIfAbsent(key, k -> new ArrayList<>())
                        .add(history.add(sample.values(), observe(cells.get(key), historyBudget)));
            }
        }
    }

    /** A seed's metric at an epoch it reached (a rung, or its end). */
    void reached(String cell, String trial, int epoch, double metric) {
        cells.get(cell).metrics.computeIfAbsent(epoch, e -> new HashMap<>()).put(trial, metric);
        changed(cell);
    }

    /** A seed ended: it trained to its end, or the schedule stopped it. */
    void ended(String cell, String trial) {
        cells.get(cell).ended.add(trial);
        changed(cell);
    }

    void failed(String cell, String trial) {
        cells.get(cell).failed.add(trial);
        changed(cell);
    }

    /** Counts the cell's complete epochs again, and updates its row in the model's view (or rebuilds the view). */
    private void changed(String key) {
        Cell c = cells.get(key);
        for (int epoch : c.metrics.keySet()) {
            boolean complete = c.at(epoch) != null;
            if (complete != c.complete.contains(epoch)) {
                cellsAt.merge(epoch, complete ? 1 : -1, Integer::sum);
                if (complete) {
                    c.complete.add(epoch);
                } else {
                    c.complete.remove(epoch);
                }
            }
        }
        if (history == null) {
            return;
        }
        if (budget() != historyBudget) {
            history = null; // rebuilt at the next proposal
        } else {
            Observation o = observe(c, historyBudget);
            rowsOfCell.getOrDefault(key, List.of()).forEach(row -> history.update(row, o));
        }
    }

    /** A proposal and the model draws it took; null once {@code samples} were proposed. */
    Proposal next() {
        if (exhausted()) {
            return null;
        }
        int index = proposed.size();
        TpeHistory history = history();
        Sample startup = tpe.modelled(history) ? null : sobolAt(index);
        if (startup != null) {
            proposed.add(startup);
            seen.add(startup.values());
            return new Proposal(startup, 0);
        }
        Map<String, Object> values = null;
        int took = 0;
        while (took < REDRAWS && (values == null || seen.contains(values))) {
            values = recorded(tpe.propose(history));
            took++;
        }
        draws += took;
        Sample s = new Sample(index, values, space.json());
        proposed.add(s);
        seen.add(values);
        return new Proposal(s, took);
    }

    /**
     * Sobol' sample {@code index}, the sequence extended by doubling (a search whose results never come stays cheap);
     * null where the space has no more distinct points than that (a small space of choices): the model proposes then,
     * repeats allowed, as after the startup.
     */
    private Sample sobolAt(int index) {
        if (index >= sobol.size()) {
            List<Sample> more = firstOrNull(Math.min(space.samples(), Math.max(index + 1, 2 * sobol.size())));
            if (more == null) {
                more = firstOrNull(index + 1); // the space may still have index + 1 distinct points
            }
            if (more == null) {
                return null;
            }
            sobol = more;
        }
        return sobol.get(index);
    }

    private List<Sample> firstOrNull(int n) {
        try {
            return space.first(n);
        } catch (InvalidConfigException fewerDistinctPoints) {
            return null;
        }
    }

    /** A sample and the model draws it took (0 for a startup point). */
    record Proposal(Sample sample, int draws) {
    }

    private Map<String, Object> recorded(Map<String, Object> values) {
        Map<String, Object> r = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            Distribution d = space.parameters().get(k);
            r.put(k, d.recorded(v));
        });
        return r;
    }

    /** The cells so far, in proposal order, observed at the budget with enough results (BOHB's rule). */
    TpeHistory history() {
        if (history == null) {
            historyBudget = budget();
            history = TpeHistory.of(space.parameters());
            rowsOfCell.clear();
            for (Sample s : proposed) {
                for (String key : cellsOfSample.getOrDefault(s.index(), List.of())) {
                    rowsOfCell.computeIfAbsent(key, k -> new ArrayList<>())
                            .add(history.add(s.values(), observe(cells.get(key), historyBudget)));
                }
            }
        }
        return history;
    }

    private static Observation observe(Cell c, int budget) {
        Double at = budget < 0 ? null : c.at(budget);
        if (at != null) {
            return new Observation.Complete(at);
        } else if (c.failed.size() >= c.seeds) {
            return Observation.FAILED;
        } else if (!c.over() && c.metrics.keySet().stream().noneMatch(e -> e > budget)) {
            return Observation.RUNNING; // still on its way to the budget: the constant liar counts it worst
        }
        return Observation.FAILED; // stopped below the budget: not the budget's observation (left out)
    }

    /** The highest epoch at least {@code startup} cells reached; else the one most reached; -1 before any. */
    private int budget() {
        int qualifying = -1;
        int mostReached = -1;
        int most = 0;
        for (Map.Entry<Integer, Integer> e : cellsAt.entrySet()) { // ascending: a later one is a higher rung
            if (e.getValue() <= 0) {
                continue;
            }
            if (e.getValue() >= space.adaptive().startup()) {
                qualifying = e.getKey();
            }
            if (e.getValue() >= most) {
                most = e.getValue();
                mostReached = e.getKey();
            }
        }
        return qualifying >= 0 ? qualifying : mostReached;
    }

    /** The model draws made so far. */
    long draws() {
        return draws;
    }
}
