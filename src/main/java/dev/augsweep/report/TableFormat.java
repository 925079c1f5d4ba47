package dev.augsweep.report;

import dev.augsweep.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How tables are written: Markdown and HTML side by side per method, CSV one line per cell for scripts. */
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
        for (String m : t.methods()) {
            h.addAll(List.of(m, "paper", "Δ"));
        }
        return h;
    }

    private static List<List<String>> body(PaperTable t) {
        List<List<String>> rows = new ArrayList<>();
        for (String row : t.rows()) {
            List<String> cells = new ArrayList<>(List.of(row));
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
        return sb.append("</table>\n").toString();
    }

    private static String csv(Scale scale, PaperTable t) {
        StringBuilder sb = new StringBuilder();
        for (String row : t.rows()) {
            for (String m : t.methods()) {
                PaperTable.Entry e = t.entry(row, m);
                CellStats o = e.ours();
                PaperResults.Cell p = e.paper();
                sb.append(String.join(",", scale.dataset().key(), t.name(), row, m, num(o == null ? null : o.mean()),
                        num(o == null ? null : o.std()), o == null ? "0" : Long.toString(o.n()),
                        num(p == null ? null : p.mean()), num(p == null ? null : p.std()), num(e.difference())))
                        .append('\n');
            }
        }
        return sb.toString();
    }

    public static String csvHeader() {
        return "dataset,table,row,method,mean,std,n,paper_mean,paper_std,difference\n";
    }

    private static String num(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
