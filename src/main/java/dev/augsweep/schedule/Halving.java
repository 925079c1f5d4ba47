package dev.augsweep.schedule;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.augsweep.config.Fractions;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.config.WholeNumber;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Successive halving over a sweep's cells, as a job file states it:
 * {@code schedule { kind = halving, rungs = [50, 200, 800], keep = 1/3, metric = knn_top1, group-by = [grid] }},
 * or asynchronous successive halving, {@code schedule { kind = asha, rungs = [3, 9, 27], reduction = 3 }}.
 * Trials pause at each rung (an epoch of their full cosine schedule); at each rung the best {@code keep} of the
 * cells (method and augmentation setting, their seeds' mean of {@code metric}) go on, the rest stop there.
 * {@code halving} always passes at least one cell once a rung is complete; {@code asha} is ASHA's rule exactly
 * (Li et al., MLSys 2020): a cell goes on when it is among the best floor(n / reduction) of the n cells at its rung so
 * far, and a rung that ends with fewer than {@code reduction} cells passes none.
 * {@code group-by} ranks cells only against cells that share those values: grid (the grid entry they come from),
 * method, dataset; by default all cells compete.
 *
 * @param rungs   epochs to pause at, increasing; a rung at the trials' last epoch is simply their end
 * @param metric  knn_top1 (the rung epoch's kNN accuracy) or knn_top1_best (the best up to it)
 */
public record Halving(String kind, List<Integer> rungs, double keep, String metric, List<String> groupBy)
        implements Serializable {
    public static final String HALVING = "halving";
    public static final String ASHA = "asha";
    public static final Set<String> METRICS = Set.of("knn_top1", "knn_top1_best");
    public static final Set<String> GROUPS = Set.of("grid", "method", "dataset");
    private static final Set<String> KEYS = Set.of("kind", "rungs", "keep", "reduction", "metric", "group-by");

    /** Reads {@code schedule} of a job file; every problem goes to {@code problems}, naming the file and key. */
    public static Halving parse(Config schedule, String where, int epochs, List<String> problems) {
        for (String key : schedule.root().keySet()) {
            if (!KEYS.contains(key)) {
                problems.add("unknown key schedule." + key + " in " + where + "; a schedule has kind, rungs, keep "
                        + "(halving) or reduction (asha), metric and group-by");
            }
        }
        String kind = get(() -> schedule.getString("kind"), HALVING, where, "kind", problems);
        if (!kind.equals(HALVING) && !kind.equals(ASHA)) {
            problems.add("schedule.kind = '" + kind + "' in " + where + " is unknown; expected halving or asha");
        }
        List<Integer> read = rungs(schedule, where, problems);
        List<Integer> rungs = read == null ? List.of() : read;
        if (read != null && rungs.isEmpty()) {
            problems.add("schedule.rungs in " + where + " is missing or empty; give epochs to pause at, e.g. "
                    + "rungs = [50, 200, 800]");
        }
        for (int i = 0; i < rungs.size(); i++) {
            if (rungs.get(i) <= 0 || (i > 0 && rungs.get(i) <= rungs.get(i - 1))) {
                problems.add("schedule.rungs = " + rungs + " in " + where + " must be positive and increasing");
                break;
            }
        }
        if (!rungs.isEmpty() && rungs.get(rungs.size() - 1) > epochs) {
            problems.add("schedule.rungs = " + rungs + " in " + where + " go past the trials' " + epochs
                    + " epochs; rungs are epochs of the trials' own schedule");
        }
        double keep = kind.equals(ASHA) ? 1 / reduction(schedule, where, problems) : keep(schedule, where, problems);
        String metric = get(() -> schedule.getString("metric"), "knn_top1", where, "metric", problems);
        if (!METRICS.contains(metric)) {
            problems.add("schedule.metric = '" + metric + "' in " + where + " is unknown; expected knn_top1 or "
                    + "knn_top1_best");
        }
        List<String> groupBy = schedule.hasPath("group-by")
                ? get(() -> schedule.getStringList("group-by"), List.of(), where, "group-by", problems) : List.of();
        for (String g : groupBy) {
            if (!GROUPS.contains(g)) {
                problems.add("schedule.group-by has '" + g + "' in " + where + "; expected grid, method or dataset");
            }
        }
        return new Halving(kind, List.copyOf(rungs), keep, metric, List.copyOf(groupBy));
    }

    /** The rungs before the trials' last epoch: where they pause. */
    public List<Integer> pauses(int epochs) {
        List<Integer> pauses = new ArrayList<>();
        rungs.stream().filter(r -> r < epochs).forEach(pauses::add);
        return pauses;
    }

    public boolean asynchronous() {
        return kind.equals(ASHA);
    }

    /**
     * A warning where the rungs are likely to pass no cell to the end: successive halving's count of the cells that
     * reach each rung from {@code cells} cells ranked together (floor of keep times the last; ASHA's own count varies
     * with the order results arrive in); null where at least one cell is expected at every rung.
     */
    public String unreachable(int cells, int epochs, String where) {
        List<Integer> reach = new java.util.ArrayList<>(List.of(cells));
        for (int rung : pauses(epochs)) {
            int n = (int) Math.floor(keep * reach.get(reach.size() - 1) + 1e-9);
            reach.add(asynchronous() ? n : Math.max(Math.min(1, reach.get(reach.size() - 1)), n));
        }
        if (reach.get(reach.size() - 1) > 0) {
            return null;
        }
        List<Integer> at = new java.util.ArrayList<>(pauses(epochs));
        at.add(epochs);
        return "schedule in " + where + ": " + cells + " cell(s) ranked together, keep " + Fractions.format(keep)
                + ", rungs " + rungs + ": about " + String.join(" -> ", reach.stream().map(String::valueOf).toList())
                + " cells reach epochs " + String.join(", ", at.stream().map(String::valueOf).toList()) + " (successive halving's count; ASHA's depends on the order results arrive in), so "
                + "likely no cell trains to the end; use fewer rungs, a smaller reduction, or more samples";
    }

    /** The group a trial's cell is ranked in: its grid entry, method or dataset as group-by says (all: one). */
    public String groupOf(TrialConfig t, int grid) {
        List<String> parts = new java.util.ArrayList<>();
        for (String g : groupBy) {
            parts.add(switch (g) {
                case "grid" -> "grid " + grid;
                case "method" -> t.method();
                default -> t.dataset().key();
            });
        }
        return String.join(" ", parts);
    }

    public String describe() {
        return (asynchronous() ? "asynchronous successive halving (ASHA)" : "halving") + " at epochs " + rungs
                + ", keep " + Fractions.format(keep) + " of the cells by " + metric
                + (groupBy.isEmpty() ? "" : " within each " + String.join(" and ", groupBy));
    }

    /** ASHA's reduction factor: the rung keeps 1 / reduction of its cells. */
    /** Each rung a whole number of epochs (getIntList would truncate 1.5); null where one is not (said). */
    private static List<Integer> rungs(Config schedule, String where, List<String> problems) {
        List<Object> raw = get(() -> schedule.getList("rungs").unwrapped(), List.of(), where, "rungs", problems);
        List<Integer> rungs = new java.util.ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            Integer rung = WholeNumber.parse("schedule.rungs[" + i + "]", where, raw.get(i), problems);
            if (rung == null) {
                return null;
            }
            rungs.add(rung);
        }
        return rungs;
    }

    private static double reduction(Config schedule, String where, List<String> problems) {
        if (schedule.hasPath("keep")) {
            problems.add("schedule.keep in " + where + " is halving's; asha keeps 1 / reduction, e.g. reduction = 3");
        }
        double eta = get(() -> schedule.getDouble("reduction"), 3.0, where, "reduction", problems);
        if (!(eta > 1)) {
            problems.add("schedule.reduction = " + eta + " in " + where + " must be above 1 (3 keeps a third)");
            return 3;
        }
        return eta;
    }

    private static double keep(Config schedule, String where, List<String> problems) {
        if (schedule.hasPath("reduction")) {
            problems.add("schedule.reduction in " + where + " is asha's; halving keeps a fraction, e.g. keep = 1/3");
        }
        String raw = get(() -> schedule.getString("keep"), "", where, "keep", problems);
        try {
            int slash = raw.indexOf('/');
            double keep = slash > 0 ? Double.parseDouble(raw.substring(0, slash)) / Double.parseDouble(raw.substring(slash + 1))
                    : Double.parseDouble(raw);
            if (keep > 0 && keep < 1) {
                return keep;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add("schedule.keep = '" + raw + "' in " + where + " must be a fraction between 0 and 1, e.g. 1/3");
        return 0.5;
    }

    private interface Read<T> {
        T get();
    }

    private static <T> T get(Read<T> read, T fallback, String where, String key, List<String> problems) {
        try {
            return read.get();
        } catch (ConfigException.Missing e) {
            return fallback; // the caller's default, or its own message for a value that must be given
        } catch (ConfigException e) {
            problems.add("schedule." + key + " in " + where + " has the wrong type (" + e.getMessage() + ")");
        }
        return fallback;
    }
}
