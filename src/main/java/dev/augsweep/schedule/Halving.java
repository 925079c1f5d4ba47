package dev.augsweep.schedule;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.augsweep.config.Fractions;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Successive halving over a sweep's cells, as a job file states it:
 * {@code schedule { kind = halving, rungs = [50, 200, 800], keep = 1/3, metric = knn_top1, group-by = [grid] }}.
 * Trials pause at each rung (an epoch of their full cosine schedule); at each rung the best {@code keep} of the
 * cells (method and augmentation setting, their seeds' mean of {@code metric}) go on, the rest stop there.
 * {@code group-by} ranks cells only against cells that share those values: grid (the grid entry they come from),
 * method, dataset; by default all cells compete.
 *
 * @param rungs   epochs to pause at, increasing; a rung at the trials' last epoch is simply their end
 * @param metric  knn_top1 (the rung epoch's kNN accuracy) or knn_top1_best (the best up to it)
 */
public record Halving(List<Integer> rungs, double keep, String metric, List<String> groupBy) implements Serializable {
    public static final Set<String> METRICS = Set.of("knn_top1", "knn_top1_best");
    public static final Set<String> GROUPS = Set.of("grid", "method", "dataset");
    private static final Set<String> KEYS = Set.of("kind", "rungs", "keep", "metric", "group-by");

    /** Reads {@code schedule} of a job file; every problem goes to {@code problems}, naming the file and key. */
    public static Halving parse(Config schedule, String where, int epochs, List<String> problems) {
        for (String key : schedule.root().keySet()) {
            if (!KEYS.contains(key)) {
                problems.add("unknown key schedule." + key + " in " + where + "; a schedule has kind, rungs, keep, "
                        + "metric and group-by");
            }
        }
        String kind = get(() -> schedule.getString("kind"), "halving", where, "kind", problems);
        if (!kind.equals("halving")) {
            problems.add("schedule.kind = '" + kind + "' in " + where + " is unknown; the one kind is halving");
        }
        List<Integer> rungs = get(() -> schedule.getIntList("rungs"), List.of(), where, "rungs", problems);
        if (rungs.isEmpty()) {
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
        double keep = keep(schedule, where, problems);
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
        return new Halving(List.copyOf(rungs), keep, metric, List.copyOf(groupBy));
    }

    /** The rungs before the trials' last epoch: where they pause. */
    public List<Integer> pauses(int epochs) {
        List<Integer> pauses = new ArrayList<>();
        rungs.stream().filter(r -> r < epochs).forEach(pauses::add);
        return pauses;
    }

    public String describe() {
        return "halving at epochs " + rungs + ", keep " + Fractions.format(keep) + " of the cells by " + metric
                + (groupBy.isEmpty() ? "" : " within each " + String.join(" and ", groupBy));
    }

    private static double keep(Config schedule, String where, List<String> problems) {
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
