package dev.augsweep.report;

import dev.augsweep.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How tables are written: Markdown and HTML side by side per method with the agreement with the paper under the
 * table; CSV one line per cell, per adjacent pair of rows and per rank correlation, for scripts.
 */
public enum TableFormat {
    md, csv, html;

    public String render(Scale scale, PaperTable table, String scaleNote) {
        String title = (scale.dataset() == Dataset.CIFAR10 ? "CIFAR-10: " : "CIFAR-100: ") + table.title();
        return switch (this) {
            case md -> markdown(title, table, scaleNote);
            case csv -> csv(scale, table);
            case html -> html(title, table, scaleNote);
        };
    }

    public String extension() {
        return name();
    }

    private static List<String> header(PaperTable t) {
        List<String> h = new ArrayList<>(List.of(t.rowHeader()));
        if (t.concentration() != null) {
            h.addAll(t.concentration().headers());
        }
        for (String m : t.methods()) {
            h.addAll(List.of(m, "paper", "Δ"));
        }
        return h;
    }

    private static List<List<String>> body(PaperTable t) {
        List<List<String>> rows = new ArrayList<>();
        for (String row : t.rows()) {
            List<String> cells = new ArrayList<>(List.of(row));
            if (t.concentration() != null) {
                double[] c = t.concentration(row);
                for (int q = 0; q < t.concentration().quantiles().size(); q++) {
                    cells.add(c == null ? "" : String.format(Locale.ROOT, "%.3f", c[q]));
                }
            }
            for (String m : t.methods()) {
                PaperTable.Entry e = t.entry(row, m);
                cells.addAll(List.of(PaperTable.meanStd(e.ours()), PaperTable.paperText(e.paper()),
                        PaperTable.diffText(e.difference())));
            }
            rows.add(cells);
        }
        return rows;
    }

    private static String markdown(String title, PaperTable t, String scaleNote) {
        StringBuilder sb = new StringBuilder("### ").append(title).append("\n\n").append(scaleNote).append("\n\n");
        List<String> h = header(t);
        sb.append("| ").append(String.join(" | ", h)).append(" |\n|");
        for (int i = 0; i < h.size(); i++) {
            sb.append(i == 0 ? " --- |" : " ---: |");
        }
        sb.append('\n');
        body(t).forEach(r -> sb.append("| ").append(String.join(" | ", r)).append(" |\n"));
        List<Agreement> agreements = t.agreements();
        if (!agreements.isEmpty()) {
            sb.append("\nAgreement with the paper (rank correlation of cell means; adjacent rows reproduced, reversed, "
                    + "or within noise when smaller than the seeds' spread):\n\n");
            agreements.forEach(a -> sb.append("- ").append(a.describe()).append('\n'));
        }
        List<String> concentration = t.concentrationCorrelations();
        if (!concentration.isEmpty()) {
            sb.append("\nConcentration (1 - σ, recipe ").append(t.concentration().recipe()).append(") against kNN "
                    + "error, rank correlation per method (the paper predicts positive):\n\n");
            concentration.forEach(c -> sb.append("- ").append(c).append('\n'));
        }
        return sb.append('\n').toString();
    }

    private static String html(String title, PaperTable t, String scaleNote) {
        StringBuilder sb = new StringBuilder("<h3>").append(escape(title)).append("</h3>\n<p>")
                .append(escape(scaleNote)).append("</p>\n<table>\n<tr>");
        header(t).forEach(h -> sb.append("<th>").append(escape(h)).append("</th>"));
        sb.append("</tr>\n");
        for (List<String> r : body(t)) {
            sb.append("<tr>");
            r.forEach(c -> sb.append("<td>").append(escape(c)).append("</td>"));
            sb.append("</tr>\n");
        }
        sb.append("</table>\n");
        List<Agreement> agreements = t.agreements();
        if (!agreements.isEmpty()) {
            sb.append("<p>Agreement with the paper:</p>\n<ul>\n");
            agreements.forEach(a -> sb.append("<li>").append(escape(a.describe())).append("</li>\n"));
            sb.append("</ul>\n");
        }
        List<String> concentration = t.concentrationCorrelations();
        if (!concentration.isEmpty()) {
            sb.append("<p>Concentration (1 - σ) against kNN error:</p>\n<ul>\n");
            concentration.forEach(c -> sb.append("<li>").append(escape(c)).append("</li>\n"));
            sb.append("</ul>\n");
        }
        return sb.toString();
    }

    private static String csv(Scale scale, PaperTable t) {
        StringBuilder sb = new StringBuilder();
        for (String row : t.rows()) {
            for (String m : t.methods()) {
                PaperTable.Entry e = t.entry(row, m);
                CellStats o = e.ours();
                PaperResults.Cell p = e.paper();
                sb.append(String.join(",", "cell", scale.dataset().key(), t.name(), row, m,
                        num(o == null ? null : o.mean()), num(o == null ? null : o.std()),
                        o == null ? "0" : Long.toString(o.n()), num(p == null ? null : p.mean()),
                        num(p == null ? null : p.std()), num(e.difference()), "")).append('\n');
            }
        }
        if (t.concentration() != null) {
            for (String row : t.rows()) {
                double[] c = t.concentration(row);
                for (int q = 0; c != null && q < c.length; q++) {
                    sb.append(String.join(",", "one_minus_sigma", scale.dataset().key(), t.name(), row,
                            "q" + t.concentration().quantiles().get(q), num(c[q]), "", "", "", "", "", "")).append('\n');
                }
            }
        }
        for (Agreement a : t.agreements()) {
            String d = scale.dataset().key();
            sb.append(String.join(",", "spearman", d, t.name(), "", a.method(), num(nan(a.spearman())), "",
                    Integer.toString(a.rows()), "", "", "", "")).append('\n');
            sb.append(String.join(",", "kendall", d, t.name(), "", a.method(), num(nan(a.kendall())), "",
                    Integer.toString(a.rows()), "", "", "", "")).append('\n');
            for (Agreement.Step step : a.steps()) {
                sb.append(String.join(",", "step", d, t.name(), step.first() + " vs " + step.second(), a.method(),
                        num(step.ours()), num(step.spread()), "", num(step.paper()), "", "",
                        step.verdict().words())).append('\n');
            }
        }
        return sb.toString();
    }

    private static Double nan(double v) {
        return Double.isNaN(v) ? null : v;
    }

    /**
     * kind cell: mean, std, n of our cell and the paper's; kind step: row "first vs second", mean = our difference,
     * std = the seeds' spread, paper_mean = the paper's difference, verdict; kind spearman / kendall: mean = the
     * coefficient, n = rows compared; kind one_minus_sigma: the row's concentration measure at the delta quantile
     * named in the method column.
     */
    public static String csvHeader() {
        return "kind,dataset,table,row,method,mean,std,n,paper_mean,paper_std,difference,verdict\n";
    }

    private static String num(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
