package dev.augsweep.ui;

import dev.augsweep.sweep.LiveSweep;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The trials as the pages see them at one moment: every row (the trials table's columns, {@code status} one of
 * {@link LiveSweep#STATUSES}), by id, the sampled settings in the search space's order, and what the overview says
 * beside them. Immutable: a request reads one snapshot throughout.
 *
 * @param pausedAt      the rung (epoch) each paused trial waits at
 * @param startedAt     when the sweep began, in ms (the first trial's start, or the live driver's)
 * @param finishedAt    the last trial's end once not live, in ms
 * @param etaSeconds    the driver's estimate of the time left, null when not live or unknown
 * @param schedule      the live job's schedule, or null
 * @param concentration whether the results hold concentration rows
 */
record Snapshot(long version, List<Map<String, Object>> rows, Map<String, Map<String, Object>> byId,
                List<String> sampledSettings, String sweep, List<String> jobFiles, List<String> results, boolean live,
                Long startedAt, Long finishedAt, Double etaSeconds, LiveSweep.Schedule schedule,
                Map<String, Integer> pausedAt, boolean concentration) {

    static Snapshot of(long version, List<Map<String, Object>> rows, String sweep, List<String> results, boolean live,
                       Long liveStart, Long liveEnd, Double eta, LiveSweep.Schedule schedule, Map<String, Integer> pausedAt,
                       boolean concentration) {
        Map<String, Map<String, Object>> byId = new HashMap<>(rows.size() * 2);
        Set<String> settings = new LinkedHashSet<>();
        Set<String> sweeps = new java.util.TreeSet<>();
        Set<String> jobFiles = new java.util.TreeSet<>();
        String space = null;
        Long first = null;
        Long last = null;
        for (Map<String, Object> r : rows) {
            byId.put((String) r.get("trial_id"), r);
            if (space == null && r.get("search_space") instanceof String s) {
                space = s;
                settings.addAll(Api.parseObject(s).keySet());
            }
            for (String column : List.of("sampled", "sampled_choices")) {
                if (r.get(column) instanceof Map<?, ?> m) {
                    m.keySet().forEach(k -> settings.add(String.valueOf(k)));
                }
            }
            if (r.get("sweep") instanceof String s) {
                sweeps.add(s);
            }
            if (r.get("job_file") instanceof String s) {
                jobFiles.add(s);
            }
            if (r.get("started_at") instanceof java.util.Date d) {
                first = first == null ? d.getTime() : Math.min(first, d.getTime());
            }
            if (r.get("finished_at") instanceof java.util.Date d) {
                last = last == null ? d.getTime() : Math.max(last, d.getTime());
            }
        }
        Long started = live && liveStart != null ? (first == null ? liveStart : Math.min(first, liveStart)) : first;
        Long finished = live ? null : liveEnd != null ? liveEnd : last;
        return new Snapshot(version, Collections.unmodifiableList(rows), byId, List.copyOf(settings),
                sweep != null ? sweep : String.join(", ", sweeps), new ArrayList<>(jobFiles), results, live, started,
                finished, live ? eta : null, schedule, pausedAt, concentration);
    }
}
