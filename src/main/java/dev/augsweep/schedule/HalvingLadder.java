package dev.augsweep.schedule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Successive halving's decisions, asynchronous and by cell, as ASHA makes them (Li et al., 2020) but ranking cells
 * (method and augmentation setting) by their seeds' mean rather than single trials, so that one lucky seed does
 * not decide. A cell reaches a rung when every seed that has not failed paused there. At each rung:
 * <ul>
 *   <li>as cells arrive, a cell among the best floor(keep x n) of the n cells of its group that reached the rung
 *       so far goes on at once (so that executors never wait for a rung to fill: ASHA's point);</li>
 *   <li>once no other cell of the group can still reach the rung, the best max(1, floor(keep x n)) go on and the
 *       rest stop there.</li>
 * </ul>
 * Early promotions are never taken back, so a rung can pass a few more cells than keep x n, as in ASHA. Ties go to
 * the cell listed first in the job. The ladder holds no Spark or file state: hand it what happened (pauses,
 * failures, decisions made before a restart) and ask it what to decide.
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
    private final Map<String, Cell> cellOfTrial = new HashMap<>();
    private final Map<String, Integer> allowed = new HashMap<>();
    private final Map<String, Integer> stoppedAt = new HashMap<>();
    private final Map<String, Map<Integer, Double>> metrics = new HashMap<>();
    private final Set<String> failed = new HashSet<>();

    public HalvingLadder(Halving schedule, List<Cell> cells) {
        this.schedule = schedule;
        for (Cell c : cells) {
            this.cells.put(c.key(), c);
            c.trials().forEach(t -> cellOfTrial.put(t, c));
            allowed.put(c.key(), next(c, 0));
        }
    }

    /** A trial paused at a rung (or passed it: a restart replays what its history says) with this metric. */
    public void paused(String trial, int epoch, double metric) {
        metrics.computeIfAbsent(trial, t -> new HashMap<>()).put(epoch, metric);
    }

    public void failed(String trial) {
        failed.add(trial);
    }

    /** Replays a decision made before (the driver restarted). */
    public void apply(Decision d) {
        if (d.promoted()) {
            allowed.merge(d.cell(), next(cells.get(d.cell()), d.rung()), Math::max);
        } else {
            stoppedAt.put(d.cell(), d.rung());
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
        Map<String, List<Cell>> groups = new LinkedHashMap<>();
        cells.values().forEach(c -> groups.computeIfAbsent(c.group(), g -> new ArrayList<>()).add(c));
        for (List<Cell> group : groups.values()) {
            for (int rung : schedule.pauses(group.get(0).epochs())) {
                decisions.addAll(decideRung(group, rung));
            }
        }
        decisions.forEach(this::apply);
        return decisions;
    }

    private List<Decision> decideRung(List<Cell> group, int rung) {
        List<Cell> pool = group.stream().filter(c -> reached(c, rung)).toList();
        if (pool.isEmpty()) {
            return List.of();
        }
        boolean last = group.stream().allMatch(c -> pool.contains(c) || dead(c)
                || stoppedAt.getOrDefault(c.key(), Integer.MAX_VALUE) < rung);
        int quota = (int) Math.floor(schedule.keep() * pool.size() + 1e-9);
        if (last) {
            quota = Math.max(1, quota);
        }
        List<Cell> ranked = new ArrayList<>(pool);
        ranked.sort(Comparator.comparingDouble((Cell c) -> -mean(c, rung)));
        List<Decision> decisions = new ArrayList<>();
        for (int i = 0; i < ranked.size(); i++) {
            Cell c = ranked.get(i);
            boolean undecided = allowed.get(c.key()) <= rung && !stoppedAt.containsKey(c.key());
            if (undecided && (i < quota || last)) {
                decisions.add(new Decision(c.key(), rung, i < quota, mean(c, rung), i + 1, pool.size(), quota));
            }
        }
        return decisions;
    }

    /** Every seed that has not failed paused at the rung (and at least one did). */
    private boolean reached(Cell c, int rung) {
        List<String> live = c.trials().stream().filter(t -> !failed.contains(t)).toList();
        return !live.isEmpty() && live.stream().allMatch(t -> metrics.getOrDefault(t, Map.of()).containsKey(rung));
    }

    private boolean dead(Cell c) {
        return c.trials().stream().allMatch(failed::contains);
    }

    private double mean(Cell c, int rung) {
        return c.trials().stream().filter(t -> !failed.contains(t))
                .mapToDouble(t -> metrics.get(t).get(rung)).average().orElse(Double.NaN);
    }

    /** The first pause after {@code epoch}, or the end. */
    private int next(Cell c, int epoch) {
        return schedule.pauses(c.epochs()).stream().filter(r -> r > epoch).findFirst().orElse(c.epochs());
    }
}
