package dev.augsweep.ui;

import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.report.ResultsViews;
import dev.augsweep.report.SearchReport;
import dev.augsweep.report.TableFormat;
import dev.augsweep.report.TablesReport;
import dev.augsweep.results.ConcentrationTable;
import dev.augsweep.search.Distribution;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * What the Tables, Search and Concentration pages show, computed by the report code that {@code augsweep tables}
 * and {@code sql} use, from the same views: the tables as HTML ({@link TablesReport.Request#text} in
 * {@link TableFormat#html}, every text escaped), each search's {@link SearchReport} with the figures its charts draw,
 * and the concentration table's rows. Nothing here computes a figure of its own; it only lays the reports' out as the
 * API's JSON (docs/dashboard.md).
 */
record Reports(String tablesHtml, List<Map<String, Object>> searches, List<Map<String, Object>> concentration) {
    static final Reports NONE = new Reports("", List.of(), List.of());

    static Reports of(ResultsViews views) {
        if (!views.has("trials")) {
            return new Reports("", List.of(), concentration(views));
        }
        List<SearchReport> reports = SearchReport.build(views.spark());
        String html;
        try {
            html = TablesReport.Request.DEFAULTS.text(views, TableFormat.html, reports);
        } catch (InvalidConfigException e) { // no finished trials yet
            html = "";
        }
        List<Map<String, Object>> searches = new ArrayList<>();
        for (SearchReport s : reports) {
            searches.add(search(s));
        }
        return new Reports(html, searches, concentration(views));
    }

    /** One search's figures as the Search page reads them (API.md: /api/search). */
    static Map<String, Object> search(SearchReport s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sweep", s.sweep());
        out.put("trials", s.trials());
        out.put("cells", s.cells());
        out.put("effect_epoch", s.effectEpoch());
        List<Map<String, Object>> settings = new ArrayList<>();
        s.space().forEach((name, text) -> settings.add(setting(name, text)));
        out.put("settings", settings);
        List<Map<String, Object>> best = new ArrayList<>();
        for (SearchReport.Best b : s.best()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cell_id", b.cellId());
            m.put("mean", b.mean());
            m.put("ci", Double.isNaN(b.low()) ? null : List.of(b.low(), b.high()));
            m.put("seeds", b.seeds());
            m.put("settings", b.settings());
            best.add(m);
        }
        out.put("best", best);
        List<Map<String, Object>> effects = new ArrayList<>();
        for (SearchReport.Effect e : s.effects()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("setting", e.setting());
            m.put("distribution", e.distribution());
            m.put("log", e.logScale());
            m.put("importance", e.importance());
            m.put("rho", e.rho());
            m.put("p", e.p());
            m.put("p_holm", e.pHolm());
            m.put("cells", e.cells());
            m.put("verdict", e.verdict());
            effects.add(m);
        }
        out.put("effects", effects);
        List<Map<String, Object>> rungs = new ArrayList<>();
        s.trialsReaching().forEach((epoch, n) -> rungs.add(Map.of("epoch", epoch, "trials", n)));
        out.put("rungs", rungs);
        List<Map<String, Object>> points = new ArrayList<>();
        for (SearchReport.CellPoint p : s.points()) {
            if (Double.isNaN(p.score())) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cell_id", p.cellId());
            m.put("sample", p.sample());
            m.put("trials", p.trials());
            m.put("finished", p.finished());
            m.put("epochs_reached", p.epochsReached());
            m.put("score", p.score());
            m.put("effect_score", p.effectScore());
            m.put("values", p.values());
            m.put("choices", p.choices());
            points.add(m);
        }
        out.put("points", points);
        out.put("html", s.render(TableFormat.html));
        return out;
    }

    /** A setting of the search space: its distribution's kind, bounds or choices, and whether plots use a log axis. */
    static Map<String, Object> setting(String name, String text) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("distribution", text);
        Distribution d = Distribution.parse(name, text, "the results", new ArrayList<>());
        m.put("kind", d == null ? null : d.text().substring(0, d.text().indexOf('(')));
        m.put("log", d != null && d.logScale());
        Object low = null;
        Object high = null;
        Object choices = null;
        if (d instanceof Distribution.Uniform u) {
            low = u.low();
            high = u.high();
        } else if (d instanceof Distribution.LogUniform u) {
            low = u.low();
            high = u.high();
        } else if (d instanceof Distribution.IntRange r) {
            low = (double) r.low();
            high = (double) r.high();
        } else if (d instanceof Distribution.Choice c) {
            choices = c.values();
        }
        m.put("low", low);
        m.put("high", high);
        m.put("choices", choices);
        return m;
    }

    /** The concentration table's rows, by setting then quantile ([] when none was measured). */
    static List<Map<String, Object>> concentration(ResultsViews views) {
        if (!views.has(ConcentrationTable.TABLE)) {
            return List.of();
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Row r : views.spark().table(ConcentrationTable.TABLE).orderBy("setting", "delta_quantile", "recipe")
                .collectAsList()) {
            rows.add(Rows.map(r));
        }
        return rows;
    }
}
