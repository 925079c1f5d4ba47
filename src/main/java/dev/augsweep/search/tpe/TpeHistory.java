package dev.augsweep.search.tpe;

import dev.augsweep.search.Distribution;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The trials TPE learns from, in the order they were started (Optuna's trial numbers): each trial's values and its
 * {@link Observation}. Kept as columns of internal numbers, so a proposal over 10,000 trials reads arrays rather
 * than maps. Append a trial when it starts ({@link Observation.Running}) or when it ends; {@link #update} its outcome
 * when it ends. Not thread-safe.
 */
public final class TpeHistory {
    private final List<TpeParameter> parameters;
    private double[][] columns; // [parameter][trial], NaN where a trial lacks the setting
    private final List<Observation> outcomes = new ArrayList<>();
    private double[] stepKey = new double[16]; // Optuna's rank key (step part); see #key
    private double[] valueKey = new double[16];
    private int size;

    public TpeHistory(List<TpeParameter> parameters) {
        this.parameters = List.copyOf(parameters);
        columns = new double[parameters.size()][16];
    }

    /** A history over {@code space}, its settings in the map's order. */
    public static TpeHistory of(Map<String, Distribution> space) {
        return new TpeHistory(Tpe.parameters(space));
    }

    public List<TpeParameter> parameters() {
        return parameters;
    }

    /**
     * Appends a trial with its values (Double, Integer or a choice's value, by key; a missing key means the trial
     * has no value for that setting) and outcome; returns its index, which {@link #update} takes.
     */
    public int add(Map<String, ?> values, Observation outcome) {
        if (size == stepKey.length) {
            int capacity = size * 2;
            stepKey = Arrays.copyOf(stepKey, capacity);
            valueKey = Arrays.copyOf(valueKey, capacity);
            for (int p = 0; p < columns.length; p++) {
                columns[p] = Arrays.copyOf(columns[p], capacity);
            }
        }
        for (int p = 0; p < parameters.size(); p++) {
            TpeParameter parameter = parameters.get(p);
            columns[p][size] = parameter.internal(values.get(parameter.key()));
        }
        outcomes.add(null);
        update(size, outcome);
        return size++;
    }

    /** Sets trial {@code trial}'s outcome, e.g. from running to complete. */
    public void update(int trial, Observation outcome) {
        outcomes.set(trial, outcome);
        // Optuna's key for direction "maximize" (sign -1): (-inf, -score) | (-step, -value) | (1, 0) | (inf, -inf)
        if (outcome instanceof Observation.Complete c) {
            stepKey[trial] = Double.isNaN(c.score()) ? Double.NaN : Double.NEGATIVE_INFINITY;
            valueKey[trial] = -c.score();
        } else if (outcome instanceof Observation.Pruned p) {
            stepKey[trial] = -(double) p.lastStep();
            valueKey[trial] = Double.isNaN(p.lastValue()) ? Double.POSITIVE_INFINITY : -p.lastValue();
        } else if (outcome instanceof Observation.PrunedUnreported) {
            stepKey[trial] = 1;
            valueKey[trial] = 0.0;
        } else if (outcome instanceof Observation.Running) {
            stepKey[trial] = Double.POSITIVE_INFINITY;
            valueKey[trial] = Double.NEGATIVE_INFINITY;
        } else {
            stepKey[trial] = Double.NaN; // failed: not an observation
            valueKey[trial] = Double.NaN;
        }
    }

    public int size() {
        return size;
    }

    public Observation outcome(int trial) {
        return outcomes.get(trial);
    }

    /** The trials TPE counts (complete and pruned; Optuna's n): startup lasts while this is below its threshold. */
    public int observed() {
        int n = 0;
        for (int t = 0; t < size; t++) {
            if (stepKey[t] < Double.POSITIVE_INFINITY) {
                n++;
            }
        }
        return n;
    }

    /** Whether trial {@code t} is an observation: complete or pruned, or running if the liar counts it. */
    boolean included(int t, boolean constantLiar) {
        double s = stepKey[t];
        return s < Double.POSITIVE_INFINITY || (constantLiar && s == Double.POSITIVE_INFINITY);
    }

    boolean running(int t) {
        return stepKey[t] == Double.POSITIVE_INFINITY;
    }

    /**
     * Compares trials by rank (better first) as numpy's stable sort of the keys (step, value) does: numeric order with
     * NaN last and -0.0 equal to 0.0, ties by trial order.
     */
    int compare(int a, int b) {
        int c = compareDouble(stepKey[a], stepKey[b]);
        if (c == 0) {
            c = compareDouble(valueKey[a], valueKey[b]);
        }
        return c != 0 ? c : Integer.compare(a, b);
    }

    private static int compareDouble(double a, double b) {
        if (a < b) {
            return -1;
        }
        if (a > b) {
            return 1;
        }
        if (a == b) {
            return 0;
        }
        return Double.isNaN(a) ? (Double.isNaN(b) ? 0 : 1) : -1;
    }

    double value(int parameter, int trial) {
        return columns[parameter][trial];
    }
}
