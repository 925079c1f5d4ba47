package dev.augsweep.ui;

import dev.augsweep.sweep.LiveSweep;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code /api/overview}: the sweep now, counted from a {@link Snapshot}'s rows (the driver's live state, or the
 * trials table of finished results). Polled every 2 s per open page while live, so it is a pass over the rows in
 * memory and nothing more.
 */
final class Overview {
    static final Set<String> DONE = Set.of("finished", "stopped", "failed");
    private static final int RUNNING_SHOWN = 50;
    private static final int FAILURES_SHOWN = 20;

    private Overview() {
    }

    static Map<String, Object> of(Snapshot s, long now, boolean tables, boolean search) {
        List<Map<String, Object>> rows = s.rows();
        boolean live = s.live();
        Map<String, Integer> byStatus = new LinkedHashMap<>();
        LiveSweep.STATUSES.forEach(st -> byStatus.put(st, 0));
        Map<Long, Map<String, Object>> hours = new TreeMap<>();
        List<Map<String, Object>> failed = new ArrayList<>();
        List<Map<String, Object>> running = new ArrayList<>();
        Map<String, Object> best = null;
        Map<List<String>, Device> devices = new TreeMap<>(Comparator.comparing((List<String> k) -> k.get(0))
                .thenComparing(k -> k.get(1)));
        double liveRate = 0;
        boolean anyLiveRate = false;
        double doneRate = 0;
        int doneRates = 0;
        for (Map<String, Object> r : rows) {
            String status = String.valueOf(r.get("status"));
            byStatus.computeIfPresent(status, (k, n) -> n + 1);
            Long finishedAt = millis(r.get("finished_at"));
            if (DONE.contains(status) && finishedAt != null) {
                Map<String, Object> h = hours.computeIfAbsent(finishedAt / 3_600_000 * 3_600_000, t -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("hour", Json.time(t));
                    m.put("finished", 0);
                    m.put("stopped", 0);
                    m.put("failed", 0);
                    return m;
                });
                h.merge(status, 1, (a, b) -> (Integer) a + 1);
            }
            if (status.equals("failed")) {
                failed.add(r);
            }
            if (status.equals("running") || status.equals("paused")) {
                running.add(r);
            }
            Double knn = number(r.get("knn_top1_best"));
            if (knn != null && !status.equals("failed") && (best == null || knn > (Double) number(best.get("knn_top1_best")))) {
                best = r;
            }
            Double ips = number(r.get("images_per_second"));
            if (status.equals("running") && ips != null) {
                liveRate += ips;
                anyLiveRate = true;
            }
            if (status.equals("finished") && ips != null) {
                doneRate += ips;
                doneRates++;
            }
            Object device = r.get("device");
            if (!status.equals("pending") && device != null) {
                String host = r.get("host") == null ? "" : r.get("host").toString();
                Device d = devices.computeIfAbsent(List.of(host, device.toString()), k -> new Device());
                d.host = r.get("host") == null ? null : host;
                d.device = device.toString();
                if (d.gpuName == null && r.get("gpu_name") != null) {
                    d.gpuName = r.get("gpu_name").toString();
                }
                if (status.equals("running")) {
                    d.running++;
                    if (ips != null) {
                        d.liveRate += ips;
                        d.liveRates++;
                    }
                } else if (DONE.contains(status)) {
                    d.done++;
                    if (ips != null && !status.equals("failed")) {
                        d.doneRate += ips;
                        d.doneRates++;
                    }
                }
            }
        }
        int done = byStatus.get("finished") + byStatus.get("stopped") + byStatus.get("failed");
        Long started = s.startedAt();
        Double elapsed = started == null ? null : Math.max(0, ((live ? now : s.finishedAt() != null ? s.finishedAt()
                : now) - started) / 1000.0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("api", 1);
        out.put("sweep", s.sweep());
        out.put("job_files", s.jobFiles());
        out.put("results", s.results());
        out.put("live", live);
        out.put("now", Json.time(now));
        out.put("started_at", started == null ? null : Json.time(started));
        out.put("finished_at", s.finishedAt() == null ? null : Json.time(s.finishedAt()));
        out.put("elapsed_seconds", elapsed);
        out.put("eta_seconds", s.etaSeconds());
        out.put("trials_total", rows.size());
        out.put("by_status", byStatus);
        out.put("trials_per_hour", elapsed == null || elapsed <= 0 ? null : round(done / (elapsed / 3600), 2));
        out.put("per_hour", new ArrayList<>(hours.values()));
        out.put("images_per_second", live ? (anyLiveRate ? round(liveRate, 1) : null)
                : doneRates > 0 ? round(doneRate / doneRates, 1) : null);
        List<Map<String, Object>> deviceList = new ArrayList<>();
        for (Device d : devices.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("device", d.device);
            m.put("host", d.host);
            m.put("gpu_name", d.gpuName);
            m.put("running", d.running);
            m.put("done", d.done);
            m.put("images_per_second", live ? (d.liveRates > 0 ? round(d.liveRate, 1) : null)
                    : d.doneRates > 0 ? round(d.doneRate / d.doneRates, 1) : null);
            deviceList.add(m);
        }
        out.put("devices", deviceList);
        running.sort(Comparator.comparing((Map<String, Object> r) -> millis(r.get("started_at")),
                Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(r -> (String) r.get("trial_id")));
        List<Map<String, Object>> runningShown = new ArrayList<>();
        for (Map<String, Object> r : running.subList(0, Math.min(RUNNING_SHOWN, running.size()))) {
            runningShown.add(pick(r, "trial_id", "cell_id", "status", "device", "host", "epochs_done", "epochs",
                    "knn_top1_best", "images_per_second", "started_at"));
        }
        out.put("running", runningShown);
        out.put("running_total", running.size());
        failed.sort(Comparator.comparing((Map<String, Object> r) -> millis(r.get("finished_at")),
                Comparator.nullsLast(Comparator.reverseOrder())).thenComparing(r -> (String) r.get("trial_id")));
        List<Map<String, Object>> failures = new ArrayList<>();
        for (Map<String, Object> r : failed.subList(0, Math.min(FAILURES_SHOWN, failed.size()))) {
            Map<String, Object> f = pick(r, "trial_id", "cell_id", "reason", "device", "host", "finished_at");
            f.put("reason", firstLine(f.get("reason")));
            failures.add(f);
        }
        out.put("failures", failures);
        out.put("best", best == null ? null : pick(best, "trial_id", "cell_id", "knn_top1_best", "method", "augs"));
        out.put("schedule", schedule(s));
        Map<String, Object> sections = new LinkedHashMap<>();
        sections.put("tables", tables);
        sections.put("search", search);
        sections.put("concentration", s.concentration());
        out.put("sections", sections);
        return out;
    }

    /** The live job's schedule with, per rung, the trials that reached it, wait there, were stopped there or went on. */
    private static Map<String, Object> schedule(Snapshot s) {
        LiveSweep.Schedule h = s.schedule();
        if (h == null) {
            return null;
        }
        List<Map<String, Object>> byRung = new ArrayList<>();
        for (int rung : h.rungs()) {
            int reached = 0;
            int paused = 0;
            int stopped = 0;
            for (Map<String, Object> r : s.rows()) {
                String status = String.valueOf(r.get("status"));
                Number done = (Number) r.get("epochs_done");
                if (status.equals("failed") || done == null || done.intValue() < rung) {
                    continue;
                }
                reached++;
                if (status.equals("paused") && Integer.valueOf(rung).equals(s.pausedAt().get((String) r.get("trial_id")))) {
                    paused++;
                } else if (status.equals("stopped") && done.intValue() == rung) {
                    stopped++;
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", rung);
            m.put("reached", reached);
            m.put("paused", paused);
            m.put("stopped", stopped);
            m.put("promoted", reached - paused - stopped);
            byRung.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", h.kind());
        out.put("rungs", h.rungs());
        out.put("epochs", h.epochs());
        out.put("description", h.description());
        out.put("by_rung", byRung);
        return out;
    }

    private static final class Device {
        String device;
        String host;
        String gpuName;
        int running;
        int done;
        double liveRate;
        int liveRates;
        double doneRate;
        int doneRates;
    }

    static Map<String, Object> pick(Map<String, Object> row, String... keys) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : keys) {
            m.put(k, row.get(k));
        }
        return m;
    }

    static String firstLine(Object text) {
        if (text == null) {
            return null;
        }
        String s = text.toString().strip();
        int cut = s.indexOf('\n');
        return cut < 0 ? s : s.substring(0, cut).strip();
    }

    static Long millis(Object v) {
        return v instanceof Date d ? d.getTime() : null;
    }

    static Double number(Object v) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? d : null;
        }
        return null;
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
