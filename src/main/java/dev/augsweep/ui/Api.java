package dev.augsweep.ui;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.augsweep.results.ResultsStore;
import dev.augsweep.sweep.LiveSweep;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The JSON endpoints under {@code /api} (docs/dashboard.md, the contract the pages read): each a function of a
 * {@link Snapshot}, the epochs and the {@link Reports} of a {@link DashboardSource}, read-only.
 */
final class Api {
    /** The columns of a row of /api/trials, /api/curves and the trials page. */
    static final List<String> ROW_FIELDS = List.of("trial_id", "cell_id", "sweep", "method", "augs", "strength",
            "seed", "lr", "batch_size", "width", "status", "reason", "epochs_done", "epochs", "knn_top1_best",
            "knn_top1_init", "best_epoch", "device", "host", "seconds", "images_per_second", "started_at",
            "finished_at", "sample", "sampled", "sampled_choices");
    static final List<String> SORT_KEYS = List.of("trial_id", "cell_id", "method", "augs", "strength", "seed",
            "status", "knn_top1_best", "knn_top1_init", "epochs_done", "epochs", "device", "seconds", "lr",
            "batch_size", "width", "started_at", "finished_at");
    private static final List<String> Q_FIELDS = List.of("trial_id", "cell_id", "method", "augs", "device", "reason");
    static final int MAX_LIMIT = 500;
    static final int MAX_COMPARE = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DashboardSource source;

    Api(DashboardSource source) {
        this.source = source;
    }

    /** The answer to GET /api/{name}, as maps and lists for {@link Json}. */
    Object answer(String name, Map<String, List<String>> params) {
        return switch (name) {
            case "overview" -> overview();
            case "trials" -> trials(source.snapshot(), params);
            case "trial" -> trial(required(params, "id", "/api/trial?id=TRIAL_ID"));
            case "curves" -> curves(params);
            case "cells" -> cells(source.snapshot(), params);
            case "tables" -> Map.of("html", source.reports().tablesHtml());
            case "search" -> Map.of("searches", source.reports().searches());
            case "concentration" -> Map.of("rows", source.reports().concentration());
            default -> throw new ApiError(404, "no such endpoint: /api/" + name);
        };
    }

    private Map<String, Object> overview() {
        Snapshot s = source.snapshot();
        boolean tables = s.rows().stream().anyMatch(r -> "finished".equals(r.get("status")));
        boolean search = !s.sampledSettings().isEmpty();
        return Overview.of(s, System.currentTimeMillis(), tables, search);
    }

    // --- /api/trials ---------------------------------------------------------------------------------------------

    static Map<String, Object> trials(Snapshot s, Map<String, List<String>> params) {
        int offset = integer(params, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = integer(params, "limit", 50, 1, MAX_LIMIT);
        String sort = orDefault(last(params, "sort"), "knn_top1_best");
        String order = orDefault(last(params, "order"), "desc");
        if (!order.equals("asc") && !order.equals("desc")) {
            throw new ApiError(400, "order must be asc or desc, got '" + order + "'");
        }
        Function<Map<String, Object>, Object> value;
        if (sort.startsWith("sampled.")) {
            String key = sort.substring("sampled.".length());
            if (!s.sampledSettings().contains(key)) {
                throw new ApiError(400, "unknown sort '" + sort + "': no sampled setting '" + key + "'");
            }
            value = r -> {
                Object v = r.get("sampled") instanceof Map<?, ?> m ? m.get(key) : null;
                return v != null ? v : r.get("sampled_choices") instanceof Map<?, ?> m ? m.get(key) : null;
            };
        } else if (SORT_KEYS.contains(sort)) {
            value = r -> r.get(sort);
        } else {
            throw new ApiError(400, "unknown sort '" + sort + "'; one of " + String.join(", ", SORT_KEYS)
                    + " or sampled.<setting>");
        }
        Set<String> statuses = new LinkedHashSet<>();
        for (String st : orDefault(last(params, "status"), "").split(",")) {
            if (st.isEmpty()) {
                continue;
            }
            if (!LiveSweep.STATUSES.contains(st)) {
                throw new ApiError(400, "unknown status '" + st + "'; one of " + String.join(", ", LiveSweep.STATUSES));
            }
            statuses.add(st);
        }
        String q = orDefault(last(params, "q"), "").strip().toLowerCase(Locale.ROOT);
        String cell = last(params, "cell");
        Map<String, Integer> counts = new LinkedHashMap<>();
        LiveSweep.STATUSES.forEach(st -> counts.put(st, 0));
        List<Map<String, Object>> matched = new ArrayList<>();
        for (Map<String, Object> r : s.rows()) {
            if (cell != null && !cell.isEmpty() && !cell.equals(r.get("cell_id"))) {
                continue;
            }
            if (!q.isEmpty() && Q_FIELDS.stream().noneMatch(f -> r.get(f) != null
                    && r.get(f).toString().toLowerCase(Locale.ROOT).contains(q))) {
                continue;
            }
            String status = String.valueOf(r.get("status"));
            counts.computeIfPresent(status, (k, n) -> n + 1);
            if (statuses.isEmpty() || statuses.contains(status)) {
                matched.add(r);
            }
        }
        boolean desc = order.equals("desc");
        Comparator<Map<String, Object>> byValue = (ra, rb) -> {
            Object a = value.apply(ra);
            Object b = value.apply(rb);
            if (a == null || b == null) { // nulls last, in both orders
                return a == null ? (b == null ? 0 : 1) : -1;
            }
            int c = compareValues(a, b);
            return desc ? -c : c;
        };
        matched.sort(byValue.thenComparing(r -> String.valueOf(r.get("trial_id")), Api::codePoints));
        List<Map<String, Object>> page = new ArrayList<>();
        for (int i = offset; i < matched.size() && i < (long) offset + limit; i++) {
            page.add(row(matched.get(i)));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", s.rows().size());
        out.put("matched", matched.size());
        out.put("offset", offset);
        out.put("limit", limit);
        out.put("sort", sort);
        out.put("order", order);
        out.put("counts", counts);
        out.put("sampled_settings", s.sampledSettings());
        out.put("rows", page);
        return out;
    }

    /**
     * Ascending order of two values of one column: numbers as numbers, text by code point, numbers before text,
     * times by instant.
     */
    static int compareValues(Object a, Object b) {
        Object x = comparable(a);
        Object y = comparable(b);
        if (x instanceof Double dx && y instanceof Double dy) {
            return Double.compare(dx, dy);
        }
        if (x instanceof Double) {
            return -1;
        }
        if (y instanceof Double) {
            return 1;
        }
        return codePoints(x.toString(), y.toString());
    }

    private static Object comparable(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof java.util.Date d) {
            return (double) d.getTime();
        }
        if (v instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        return v;
    }

    private static int codePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** A trial's row as lists show it: {@link #ROW_FIELDS}, null where absent, sampled maps {} where none. */
    static Map<String, Object> row(Map<String, Object> r) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String f : ROW_FIELDS) {
            m.put(f, r.get(f));
        }
        m.computeIfAbsent("sampled", k -> Map.of());
        m.computeIfAbsent("sampled_choices", k -> Map.of());
        return m;
    }

    // --- /api/trial ----------------------------------------------------------------------------------------------

    private Map<String, Object> trial(String id) {
        Map<String, Object> r = source.snapshot().byId().get(id);
        if (r == null) {
            throw new ApiError(404, "no trial " + id);
        }
        Map<String, Object> trial = new LinkedHashMap<>();
        for (String column : ResultsStore.TRIALS.fieldNames()) {
            trial.put(column, r.get(column));
        }
        trial.put("status", r.get("status"));
        trial.computeIfAbsent("sampled", k -> Map.of());
        trial.computeIfAbsent("sampled_choices", k -> Map.of());
        trial.put("settings", r.get("settings") instanceof String text ? parseObject(text) : null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("trial", trial);
        out.put("epochs", source.epochs(id).rows());
        return out;
    }

    /** A JSON object's text as a map in its order (empty where the text is not one: never fails a page). */
    static Map<String, Object> parseObject(String text) {
        try {
            Map<String, Object> m = JSON.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() {
            });
            return m == null ? Map.of() : m;
        } catch (java.io.IOException | RuntimeException e) {
            return Map.of();
        }
    }

    // --- /api/curves ---------------------------------------------------------------------------------------------

    private Map<String, Object> curves(Map<String, List<String>> params) {
        List<String> ids = params.getOrDefault("id", List.of()).stream().filter(i -> !i.isEmpty()).toList();
        List<String> cells = params.getOrDefault("cell", List.of()).stream().filter(c -> !c.isEmpty()).toList();
        if (ids.isEmpty() && cells.isEmpty()) {
            throw new ApiError(400, "give trials (id=...) or cells (cell=...)");
        }
        Snapshot s = source.snapshot();
        Map<String, Map<String, Object>> chosen = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String id : ids) {
            Map<String, Object> r = s.byId().get(id);
            if (r == null) {
                missing.add(id);
            } else {
                chosen.putIfAbsent(id, r);
            }
        }
        for (String cell : cells) {
            List<Map<String, Object>> of = s.rows().stream().filter(r -> cell.equals(r.get("cell_id")))
                    .sorted(Comparator.comparing((Map<String, Object> r) -> (Number) r.get("seed"),
                            Comparator.nullsLast(Comparator.comparingDouble(Number::doubleValue)))
                            .thenComparing(r -> (String) r.get("trial_id"))).toList();
            if (of.isEmpty()) {
                missing.add(cell);
            }
            of.forEach(r -> chosen.putIfAbsent((String) r.get("trial_id"), r));
            if (chosen.size() > MAX_COMPARE) {
                break;
            }
        }
        if (chosen.size() > MAX_COMPARE) {
            throw new ApiError(400, "at most " + MAX_COMPARE + " trials at a time, got " + chosen.size() + " or more");
        }
        List<Map<String, Object>> epochs = new ArrayList<>();
        for (String id : chosen.keySet()) {
            for (Map<String, Object> e : source.epochs(id).rows()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("trial_id", id);
                m.put("epoch", e.get("epoch"));
                m.put("loss", e.get("loss"));
                m.put("knn_top1", e.get("knn_top1"));
                epochs.add(m);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("trials", chosen.values().stream().map(Api::row).toList());
        out.put("epochs", epochs);
        out.put("missing", missing);
        return out;
    }

    // --- /api/cells ----------------------------------------------------------------------------------------------

    static Map<String, Object> cells(Snapshot s, Map<String, List<String>> params) {
        String q = orDefault(last(params, "q"), "").strip().toLowerCase(Locale.ROOT);
        int limit = integer(params, "limit", 20, 1, MAX_LIMIT);
        Map<String, Map<String, Object>> cells = new LinkedHashMap<>();
        Map<String, double[]> knn = new LinkedHashMap<>();
        for (Map<String, Object> r : s.rows()) {
            if (!(r.get("cell_id") instanceof String id)) {
                continue;
            }
            Map<String, Object> c = cells.computeIfAbsent(id, k -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("cell_id", id);
                m.put("method", r.get("method"));
                m.put("augs", r.get("augs"));
                m.put("strength", r.get("strength"));
                m.put("trials", 0);
                m.put("finished", 0);
                return m;
            });
            c.put("trials", (Integer) c.get("trials") + 1);
            if ("finished".equals(r.get("status"))) {
                c.put("finished", (Integer) c.get("finished") + 1);
            }
            Double k = Overview.number(r.get("knn_top1_best"));
            if (k != null) {
                double[] sum = knn.computeIfAbsent(id, x -> new double[2]);
                sum[0] += k;
                sum[1]++;
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> c : cells.values()) {
            if (!q.isEmpty() && java.util.stream.Stream.of("cell_id", "method", "augs").noneMatch(f -> c.get(f) != null
                    && c.get(f).toString().toLowerCase(Locale.ROOT).contains(q))) {
                continue;
            }
            double[] sum = knn.get((String) c.get("cell_id"));
            c.put("knn_top1_best_mean", sum == null ? null : Overview.round(sum[0] / sum[1], 4));
            out.add(c);
        }
        out.sort(Comparator.comparing((Map<String, Object> c) -> (Double) c.get("knn_top1_best_mean"),
                Comparator.nullsLast(Comparator.reverseOrder())).thenComparing(c -> (String) c.get("cell_id")));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("matched", out.size());
        answer.put("cells", out.subList(0, Math.min(limit, out.size())));
        return answer;
    }

    // --- parameters ----------------------------------------------------------------------------------------------

    static String last(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
    }

    private static String orDefault(String v, String fallback) {
        return v == null || v.isEmpty() ? fallback : v;
    }

    private static String required(Map<String, List<String>> params, String name, String usage) {
        String v = last(params, name);
        if (v == null || v.isEmpty()) {
            throw new ApiError(400, name + " is required: " + usage);
        }
        return v;
    }

    private static int integer(Map<String, List<String>> params, String name, int fallback, int low, int high) {
        String raw = last(params, name);
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        long v;
        try {
            v = Long.parseLong(raw.strip());
        } catch (NumberFormatException e) {
            throw new ApiError(400, name + " must be a whole number, got '" + raw + "'");
        }
        if (v < low || v > high) {
            throw new ApiError(400, name + " must be between " + low + " and " + high + ", got " + v);
        }
        return (int) v;
    }
}
