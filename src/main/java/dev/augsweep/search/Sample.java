package dev.augsweep.search;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One point of a search: its index among the job's samples and the value of each sampled setting (Double, Integer or
 * String), and the distributions it was drawn from (JSON, as {@link SearchSpace#json()}), which the report reads for
 * its axes.
 */
public record Sample(int index, Map<String, Object> values, String space) implements Serializable {
    public Sample {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The numeric values: the trials table's {@code sampled} column. */
    public Map<String, Double> numbers() {
        Map<String, Double> m = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (v instanceof Number n) {
                m.put(k, n.doubleValue());
            }
        });
        return m;
    }

    /** The values that are not numbers (a choice of words): the {@code sampled_choices} column. */
    public Map<String, String> words() {
        Map<String, String> m = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (!(v instanceof Number)) {
                m.put(k, v.toString());
            }
        });
        return m;
    }
}
