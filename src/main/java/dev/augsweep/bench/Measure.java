package dev.augsweep.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One benchmark figure: our value, the peer's (null when there is none), the goal in words and whether it is met.
 * {@code ratio} is ours over the peer's, or over the reference named in the goal.
 */
public record Measure(String name, double value, String unit, Double peer, Double ratio, String goal, Boolean met) {
    /** The row of a section that could not be measured: no value, and why in place of the goal. */
    public static Measure failed(String section, RuntimeException e) {
        return new Measure(section + "_failed", Double.NaN, "", null, null,
                "section failed: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString()), false);
    }

    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", Double.isNaN(value) ? null : value);
        m.put("unit", unit);
        m.put("peer", peer);
        m.put("ratio", ratio);
        m.put("goal", goal);
        m.put("met", met);
        return m;
    }
}
