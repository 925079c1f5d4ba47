package dev.augsweep.schedule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Successive halving's decisions, asynchronous and by cell, as ASHA makes them (Li et al., 2020) but ranking cells
 * (method and augmentation setting) by their seeds' mean rather than single trials, so that one lucky seed does
 * not decide. A cell reaches a rung when every seed that has not failed paused there. At each rung:
 * <ul>
 *   <li>as cells arrive, a cell among the best floor(keep x n) of the n cells of its group that reached the rung
 *       so far goes on at once (so that executors never wait for a rung to fill: ASHA's point);</li>
 *   <li>once no other cell of the group can still reach the rung, the best max(1, floor(keep x n)) go on (ASHA:
 *       floor(keep x n), which may be none) and the rest stop there.</li>
 * </ul>
 * Early promotions are never taken back, so a rung can pass a few more cells than keep x n, as in ASHA. Ties go to
 * the cell listed first in the job. The ladder holds no Spark or file state: hand it what happened (pauses,
 * failures, decisions made before a restart) and ask it what to decide. Its cost per event does not grow with the
 * number of cells beyond walking a rung's kept share: each rung holds its arrived cells in rank order and counts the
 * cells that can no longer arrive, and {@link #decide()} looks only at rungs something happened at (a search of
 * 10,000 cells decides in milliseconds per trial).
 */
public final class HalvingLadder {
    /** A cell: its trials (the seeds), the group it is ranked in, and the epochs its trials end at. */
    public record Cell(String key, String label, String group, List<String> trials, int epochs) {
    }

    /**
     * A decision at a rung: the cell goes on to the next rung (or its end), or stops here.
     *
     * @param rank   the cell's place among the {@code ranked} cells of its group that had reached the rung
     * @param kept   how many of them went on by then
     */
    public record Decision(String cell, int rung, boolean promoted, double mean, int rank, int ranked, int kept) {
        public String describe(String label) {
            return String.format(Locale.ROOT, "%s %s at epoch %d: mean %.2f%%, %d of %d at this rung, %d kept",
                    label, promoted ? "goes on" : "stops", rung, mean, rank, ranked, kept);
        }
    }

    private final Halving schedule;
    private final Map<String, Cell> cells = new LinkedHashMap<>();
    private final Map<String, Integer> order = new HashMap<>();
    private final Map<String, Cell> cellOfTrial = new HashMap<>();
    private final Map<String, Integer> allowed = new HashMap<>();
    private final Map<String, Integer> stoppedAt = new HashMap<>();
    private final Map<String, Map<Integer, Double>> metrics = new HashMap<>();
    private final Set<String> failed = new HashSet<>();
    private final Map<String, Integer> groupSize = new HashMap<>();
    private final Map<String, Integer> expected = new HashMap<>();
    private final Map<String, Integer> added = new HashMap<>();
    private final Map<String, Rung> rungs = new LinkedHashMap<>();
    private final Set<Rung> touched = new LinkedHashSet<>();

    /** One rung of one group: its arrived cells in rank order, and how many cells of the group can no longer come. */
    private final class Rung {
        final String group;
        final int epoch;
        final TreeSet<Arrived> pool = new TreeSet<>(Comparator.comparingDouble((Arrived a) -> -a.mean)
                .thenComparingInt(a -> order.get(a.cell)));
        final Set<String> settled = new HashSet<>();
        final Set<String> arrived = new HashSet<>();

        Rung(String group, int epoch) {
            this.group = group;
            this.epoch = epoch;
        }

        boolean complete() {
            return settled.size() == groupSize.get(group);
        }
    }

    private record Arrived(String cell, double mean) {
    }

    public HalvingLadder(Halving schedule, List<Cell> cells) {
        this.schedule = schedule;
        cells.forEach(this::add);
    }

    /** A cell of the ladder: given at the start, or added as a search proposes it. */
    public void add(Cell c) {
        cells.put(c.key(), c);
        order.put(c.key(), order.size());
        c.trials().forEach(t -> cellOfTrial.put(t, c));
        allowed.put(c.key(), next(c, 0));
        added.merge(c.group(), 1, Integer::sum);
        groupSize.put(c.group(), Math.max(expected.getOrDefault(c.group(), 0), added.get(c.group())));
    }

    /**
     * The group will hold {@code cells} cells in all, though they are not all known yet (a search proposes them as
     * results arrive): its rungs are not complete, and their last decisions wait, until all of them could arrive.
     */
    public void expect(String group, int count) {
        expected.put(group, count);
        groupSize.put(group, Math.max(count, added.getOrDefault(group, 0)));
    }

    /** A trial paused at a rung (or passed it: a restart replays what its history says) with this metric. */
    public void paused(String trial, int epoch, double metric) {
        metrics.computeIfAbsent(trial, t -> new HashMap<>()).put(epoch, metric);
        arriveIfReached(cellOfTrial.get(trial), epoch);
    }

    public void failed(String trial) {
        failed.add(trial);
        Cell c = cellOfTrial.get(trial);
        for (int rung : schedule.pauses(c.epochs())) {
            rerank(c, rung);
            if (dead(c)) {
                settle(c, rung);
            } else {
                arriveIfReached(c, rung); // the rung need not wait for this seed now
            }
        }
    }

    /** Replays a decision made before (the driver restarted). */
    public void apply(Decision d) {
        Cell c = cells.get(d.cell());
        if (d.promoted()) {
            allowed.merge(d.cell(), next(c, d.rung()), Math::max);
        } else {
            stoppedAt.put(d.cell(), d.rung());
            schedule.pauses(c.epochs()).stream().filter(r -> r > d.rung()).forEach(r -> settle(c, r));
        }
    }

    /** The epoch this trial may train to now: its cell's next rung, its end, or where its cell stopped. */
    public int target(String trial) {
        Cell c = cellOfTrial.get(trial);
        return stoppedAt.getOrDefault(c.key(), allowed.get(c.key()));
    }

    public boolean stopped(String trial) {
        return stoppedAt.containsKey(cellOfTrial.get(trial).key());
    }

    public Cell cellOf(String trial) {
        return cellOfTrial.get(trial);
    }

    /** Every decision that what happened so far calls for and that was not made yet; they are applied. */
    public List<Decision> decide() {
        List<Decision> decisions = new ArrayList<>();
        while (!touched.isEmpty()) {
            Rung r = touched.iterator().next();
            touched.remove(r);
            for (Decision d : decideRung(r)) {
                apply(d); // a stop settles the rungs above it, which may complete them
                decisions.add(d);
            }
        }
        return decisions;
    }

    private List<Decision> decideRung(Rung r) {
        if (r.pool.isEmpty()) {
            return List.of();
        }
        boolean last = r.complete();
        int n = r.pool.size();
        int quota = (int) Math.floor(schedule.keep() * n + 1e-9);
        if (last && !schedule.asynchronous()) {
            quota = Math.max(1, quota);
        }
        List<Decision> decisions = new ArrayList<>();
        int rank = 0;
        for (Arrived a : r.pool) {
            rank++;
            if (rank > quota && !last) {
                break;
            }
            boolean undecided = allowed.get(a.cell()) <= r.epoch && !stoppedAt.containsKey(a.cell());
            if (undecided) {
                decisions.add(new Decision(a.cell(), r.epoch, rank <= quota, a.mean(), rank, n, quota));
            }
        }
        return decisions;
    }

    /** The cell's every live seed has paused at the rung (and at least one did): it joins the rung's pool. */
    private void arriveIfReached(Cell c, int epoch) {
        if (!schedule.pauses(c.epochs()).contains(epoch)) {
            return;
        }
        Rung r = rung(c.group(), epoch);
        if (r.arrived.contains(c.key())) {
            return;
        }
        List<String> live = c.trials().stream().filter(t -> !failed.contains(t)).toList();
        if (live.isEmpty() || !live.stream().allMatch(t -> metrics.getOrDefault(t, Map.of()).containsKey(epoch))) {
            return;
        }
        double mean = live.stream().mapToDouble(t -> metrics.get(t).get(epoch)).average().orElseThrow();
        r.arrived.add(c.key());
        r.pool.add(new Arrived(c.key(), mean));
        settle(c, epoch);
    }

    /**
     * A cell that arrived at a rung is ranked there by the mean of its live seeds: a seed that fails later leaves it
     * (a restarted driver, which learns of the failure before the rung, computes the mean without it as well, so the
     * two make the same decisions). Decisions already made stand.
     */
    private void rerank(Cell c, int epoch) {
        Rung r = rungs.get(c.group() + "@" + epoch);
        if (r == null || !r.arrived.contains(c.key())) {
            return;
        }
        r.pool.removeIf(a -> a.cell().equals(c.key()));
        List<String> live = c.trials().stream().filter(t -> !failed.contains(t)).toList();
        if (!live.isEmpty()) {
            r.pool.add(new Arrived(c.key(), live.stream().mapToDouble(t -> metrics.get(t).get(epoch)).average()
                    .orElseThrow()));
        }
        touched.add(r);
    }

    /** The cell will not (or will no more) arrive at this rung unseen: its group's rung may be complete. */
    private void settle(Cell c, int epoch) {
        Rung r = rung(c.group(), epoch);
        if (r.settled.add(c.key())) {
            touched.add(r);
        }
        if (r.complete()) {
            touched.add(r);
        }
    }

    private Rung rung(String group, int epoch) {
        return rungs.computeIfAbsent(group + "@" + epoch, k -> new Rung(group, epoch));
    }

    private boolean dead(Cell c) {
        return c.trials().stream().allMatch(failed::contains);
    }

    /** The first pause after {@code epoch}, or the end. */
    private int next(Cell c, int epoch) {
        return schedule.pauses(c.epochs()).stream().filter(r -> r > epoch).findFirst().orElse(c.epochs());
    }
}
