package dev.augsweep.report;

import dev.augsweep.data.Dataset;
import dev.augsweep.report.stats.Comparison;
import dev.augsweep.report.stats.RankTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How tables are written: Markdown and HTML side by side per method, with the untrained control as a row, and under
 * the table the controls, every step's test and verdict, and the rank correlations; CSV one line per cell, control,
 * step and rank correlation, for scripts.
 */
public enum TableFormat {
    md, csv, html;

    static final String STEPS_NOTE = "Steps (first row minus second; 95% interval; paired t-test by seed where "
            + "the cells share 3 seeds, else Welch; Holm-corrected over every step of this report; reproduced or "
            + "reversed only where the corrected p < 0.05 and the paper's own runs resolve its step, tested and "
            + "corrected the same way, else paper within noise; a verdict that Holm per table or per method would "
            + "change says so, and fragile names the seeds without which it changes):";
    static final String RANKS_NOTE = "Rank correlation of our cell means with the paper's (one-sided exact "
            + "permutation p):";
    static final String CONTROL_NOTE = "Untrained control (each seed's network before training, batch-norm "
            + "statistics estimated on the training images, scored by the same kNN):";

    /** The table with the methods that have cells in it. */
    public String render(TablesReport.Report report, PaperTable table) {
        return render(report, table, false);
    }

    /** @param allMethods also the paper's columns of methods that have no cells of ours in the table */
    public String render(TablesReport.Report report, PaperTable table, boolean allMethods) {
        Scale scale = report.scale();
        String title = (scale.dataset() == Dataset.CIFAR10 ? "CIFAR-10: " : "CIFAR-100: ") + table.title()
                + (scale.variant().isEmpty() ? "" : " (" + scale.variant() + ")");
        List<String> methods = allMethods || table.methods().stream().noneMatch(table::ran) ? table.methods()
                : table.methods().stream().filter(table::ran).toList();
        return switch (this) {
            case md -> markdown(title, report, table, methods);
            case csv -> csv(report, table);
            case html -> html(title, report, table, methods);
        };
    }

    /** The comparisons between variants of a scale, after the tables ("" when there are none). */
    public String renderVariants(List<VariantComparison> comparisons) {
        if (comparisons.isEmpty()) {
            return "";
        }
        String note = "Between variants of " + comparisons.get(0).scale().describe() + " (first minus second; 95% "
                + "interval; paired t-test by seed; Holm-corrected over these " + comparisons.size() + " comparisons; "
                + "unresolved is not evidence of equality):";
        List<String> lines = comparisons.stream().map(VariantComparison::describe).toList();
        return switch (this) {
            case md -> "### Variants compared\n\n" + note + "\n\n"
                    + String.join("", lines.stream().map(l -> "- " + l + "\n").toList()) + "\n";
            case html -> "<h3>Variants compared</h3>\n<p>" + escape(note) + "</p>\n" + htmlList(lines);
            case csv -> {
                StringBuilder sb = new StringBuilder();
                for (VariantComparison c : comparisons) {
                    line(sb, c.scale(), "variant", c.first() + " vs " + c.second(), c.row(), c.method(),
                            c.test().difference(), nan(c.test().sdFirst()), c.test().n(), null, null, null, c.test(),
                            nan(c.pHolm()), c.verdict(), "");
                }
                yield sb.toString();
            }
        };
    }

    public String extension() {
        return name();
    }

    private static List<String> header(PaperTable t, List<String> methods) {
        List<String> h = new ArrayList<>(List.of(t.rowHeader()));
        if (t.concentration() != null) {
            h.addAll(t.concentration().headers());
        }
        for (String m : methods) {
            h.addAll(List.of(m, "paper", "Δ", "gain"));
        }
        return h;
    }

    private static List<List<String>> body(TablesReport.Report report, PaperTable t, List<String> methods) {
        List<List<String>> rows = new ArrayList<>();
        for (String row : t.rows()) {
            List<String> cells = new ArrayList<>(List.of(row));
            if (t.concentration() != null) {
                double[] c = t.concentration(row);
                for (int q = 0; q < t.concentration().quantiles().size(); q++) {
                    cells.add(c == null ? "" : String.format(Locale.ROOT, "%.3f", c[q]));
                }
            }
            for (String m : methods) {
                PaperTable.Entry e = t.entry(row, m);
                cells.addAll(List.of(PaperTable.meanStd(e.ours()), PaperTable.paperText(e.paper()),
                        PaperTable.diffText(e.difference()), PaperTable.gainText(e.ours())));
            }
            rows.add(cells);
        }
        if (methods.stream().anyMatch(m -> shownControl(report, t, m) != null)) {
            List<String> cells = new ArrayList<>(List.of("untrained"));
            if (t.concentration() != null) {
                t.concentration().quantiles().forEach(q -> cells.add(""));
            }
            for (String m : methods) {
                Control c = shownControl(report, t, m);
                cells.addAll(List.of(c == null ? "" : String.format(Locale.ROOT, "%.2f ± %.2f", c.mean(), c.std())
                        + (c.bySeed().size() == 3 ? "" : " (n=" + c.bySeed().size() + ")"), "", "", ""));
            }
            rows.add(cells);
        }
        return rows;
    }

    /**
     * A method's untrained control as this table shows it: only where the method has cells in the table (a method
     * run for one of the paper's tables has no place under the other), with the best cell among this table's.
     */
    private static Control shownControl(TablesReport.Report report, PaperTable t, String m) {
        if (!t.ran(m) || report.controls().get(m) == null) {
            return null;
        }
        return Control.of(m, t.rows().stream().map(r -> t.entry(r, m).ours()).filter(Objects::nonNull).toList());
    }

    /** The paragraphs under a table: controls, steps, rank correlations, concentration. */
    private static List<List<String>> notes(TablesReport.Report report, PaperTable t) {
        List<List<String>> notes = new ArrayList<>();
        List<String> controls = t.methods().stream().map(m -> shownControl(report, t, m)).filter(Objects::nonNull)
                .map(Control::describe).toList();
        if (!controls.isEmpty()) {
            notes.add(prepend(CONTROL_NOTE, controls));
        }
        List<String> steps = new ArrayList<>();
        List<String> ranks = new ArrayList<>();
        for (Agreement a : t.agreements()) {
            a.steps().forEach(s -> steps.add(a.method() + " " + s.describe()));
            ranks.add(a.describeRanks());
        }
        if (!steps.isEmpty()) {
            notes.add(prepend(STEPS_NOTE, steps));
            notes.add(prepend(RANKS_NOTE, ranks));
        }
        List<String> concentration = t.concentrationCorrelations();
        if (!concentration.isEmpty()) {
            notes.add(prepend("Concentration (1 - σ, recipe " + t.concentration().recipe() + ") against kNN error, "
                    + "rank correlation per method (the paper predicts positive; one-sided exact permutation p):",
                    concentration));
        }
        return notes;
    }

    private static List<String> prepend(String head, List<String> items) {
        List<String> all = new ArrayList<>(List.of(head));
        all.addAll(items);
        return all;
    }

    private static String markdown(String title, TablesReport.Report report, PaperTable t, List<String> methods) {
        StringBuilder sb = new StringBuilder("### ").append(title).append("\n\n").append(report.scaleNote())
                .append("\n\n");
        List<String> h = header(t, methods);
        sb.append("| ").append(String.join(" | ", h)).append(" |\n|");
        for (int i = 0; i < h.size(); i++) {
            sb.append(i == 0 ? " --- |" : " ---: |");
        }
        sb.append('\n');
        body(report, t, methods).forEach(r -> sb.append("| ").append(String.join(" | ", r)).append(" |\n"));
        for (List<String> note : notes(report, t)) {
            sb.append('\n').append(note.get(0)).append("\n\n");
            note.subList(1, note.size()).forEach(line -> sb.append("- ").append(line).append('\n'));
        }
        return sb.append('\n').toString();
    }

    private static String html(String title, TablesReport.Report report, PaperTable t, List<String> methods) {
        StringBuilder sb = new StringBuilder("<h3>").append(escape(title)).append("</h3>\n<p>")
                .append(escape(report.scaleNote())).append("</p>\n");
        List<String> header = header(t, methods);
        sb.append(htmlTable(header, body(report, t, methods), c -> c > 0, -1));
        for (List<String> note : notes(report, t)) {
            sb.append("<p>").append(escape(note.get(0))).append("</p>\n").append(htmlList(note.subList(1, note.size())));
        }
        return sb.toString();
    }

    /**
     * A table as HTML, every text escaped: numeric columns (right-aligned in Markdown) carry class {@code num},
     * and the verdict column's words a {@code verdict} span.
     *
     * @param verdictColumn the column whose text ends in a verdict, or -1
     */
    static String htmlTable(List<String> header, List<List<String>> rows, java.util.function.IntPredicate numeric,
                            int verdictColumn) {
        StringBuilder sb = new StringBuilder("<table>\n<thead><tr>");
        for (int c = 0; c < header.size(); c++) {
            sb.append(numeric.test(c) ? "<th class=\"num\">" : "<th>").append(escape(header.get(c))).append("</th>");
        }
        sb.append("</tr></thead>\n<tbody>\n");
        for (List<String> r : rows) {
            sb.append("<tr>");
            for (int c = 0; c < r.size(); c++) {
                String text = escape(r.get(c));
                sb.append(numeric.test(c) ? "<td class=\"num\">" : "<td>")
                        .append(c == verdictColumn ? verdictSpan(text) : text).append("</td>");
            }
            sb.append("</tr>\n");
        }
        return sb.append("</tbody>\n</table>\n").toString();
    }

    /** Lines as an HTML list, escaped, each line's closing verdict marked. */
    static String htmlList(List<String> lines) {
        StringBuilder sb = new StringBuilder("<ul>\n");
        lines.forEach(line -> sb.append("<li>").append(verdictSpan(escape(line))).append("</li>\n"));
        return sb.append("</ul>\n").toString();
    }

    /** The verdicts a line of a report may end with (a step's, a control's, a search effect's). */
    private static final List<java.util.regex.Pattern> VERDICTS = java.util.stream.Stream.of("paper within noise",
            "reproduced", "reversed", "unresolved", "did not learn", "learned", "higher is better", "lower is better")
            .map(v -> java.util.regex.Pattern.compile("(: |^)(" + java.util.regex.Pattern.quote(v) + ")(?:\\b[^:]*)?$"))
            .toList();

    /**
     * Escaped text with its closing verdict (": reproduced", ": unresolved (58 seeds ...)", or the whole text) in a
     * span of class {@code verdict verdict-<words>}, for the dashboard's colours; the text itself is unchanged.
     */
    static String verdictSpan(String escaped) {
        for (java.util.regex.Pattern p : VERDICTS) {
            java.util.regex.Matcher m = p.matcher(escaped);
            if (m.find()) {
                String v = m.group(2);
                return escaped.substring(0, m.start(2)) + "<span class=\"verdict verdict-" + v.replace(' ', '-')
                        + "\">" + v + "</span>" + escaped.substring(m.end(2));
            }
        }
        return escaped;
    }

    private static String csv(TablesReport.Report report, PaperTable t) {
        Scale scale = report.scale();
        StringBuilder sb = new StringBuilder();
        for (String row : t.rows()) {
            for (String m : t.methods()) {
                PaperTable.Entry e = t.entry(row, m);
                CellStats o = e.ours();
                PaperResults.Cell p = e.paper();
                line(sb, scale, "cell", t.name(), row, m, o == null ? null : o.mean(), o == null ? null : o.std(),
                        o == null ? 0 : o.n(), p == null ? null : p.mean(), p == null ? null : p.std(),
                        e.difference(), o == null ? null : o.gain(), null, "", o == null ? "" : o.cellId());
            }
        }
        for (String m : t.methods()) {
            Control c = shownControl(report, t, m);
            if (c != null) {
                Boolean learned = c.learned();
                line(sb, scale, "control", t.name(), c.bestRow() == null ? "" : c.bestRow(), m, c.mean(), c.std(),
                        c.bySeed().size(), null, null, null, c.gain(), null,
                        learned == null ? "" : learned ? "learned" : "did not learn", "");
            }
        }
        if (t.concentration() != null) {
            for (String row : t.rows()) {
                double[] c = t.concentration(row);
                for (int q = 0; c != null && q < c.length; q++) {
                    line(sb, scale, "one_minus_sigma", t.name(), row, ConcentrationMeasure.quantile(t.concentration().quantiles().get(q)),
                            c[q], null, 0, null, null, null, null, null, "", "");
                }
            }
        }
        for (Agreement a : t.agreements()) {
            for (RankTest r : List.of(a.spearman(), a.kendall())) {
                line(sb, scale, r == a.spearman() ? "spearman" : "kendall", t.name(), "", a.method(),
                        nan(r.coefficient()), null, r.n(), null, null, null, null, nan(r.p()), "", "");
            }
            for (Agreement.Step step : a.steps()) {
                Comparison c = step.test();
                line(sb, scale, "step", t.name(), step.first() + " vs " + step.second(), a.method(),
                        c == null ? null : c.difference(), c == null ? null : nan(c.sdFirst()), step.minSeeds(),
                        step.paper(), null, c == null ? null : c.difference(), c, nan(step.pHolm()),
                        step.verdict().words(),
                        step.seedsFor80() == null ? "" : step.seedsFor80().toString());
            }
        }
        return sb.toString();
    }

    /**
     * One CSV line; {@code test} fills ci_low, ci_high, p and test, and {@code pOrHolm} the p_holm column (for
     * rank correlations, which have no interval, the p column).
     */
    private static void line(StringBuilder sb, Scale scale, String kind, String table, String row, String method,
                             Double mean, Double std, long n, Double paperMean, Double paperStd, Double difference,
                             Comparison test, Double pOrHolm, String verdict, String extra) {
        boolean rank = test == null && (kind.equals("spearman") || kind.equals("kendall"));
        sb.append(String.join(",", kind, scale.dataset().key(), quote(scale.variant()), table, quote(row), method,
                num(mean), num(std), Long.toString(n), num(paperMean), num(paperStd), num(difference),
                test == null ? "" : num(nan(test.low())), test == null ? "" : num(nan(test.high())),
                rank ? num(pOrHolm) : test == null ? "" : num(nan(test.p())), rank ? "" : num(pOrHolm),
                test == null ? "" : quote(test.test()), verdict, extra)).append('\n');
    }

    private static Double nan(double v) {
        return Double.isNaN(v) ? null : v;
    }

    /**
     * kind cell: mean, std, n of our cell and the paper's, difference = ours - paper, ci_low/ci_high/p/test = the
     * cell's gain over its untrained control (paired by seed), extra = the cell id; kind control: mean, std, n =
     * the method's untrained control over seeds, row = its best cell, ci/p = that cell's gain, verdict = learned or
     * not; kind variant: table = "first vs second" variant, row, method, mean = first minus second, ci/p/p_holm as a
     * step's, verdict resolved or not; kind step: row "first vs second", mean and difference = our difference (as
     * the steps view names it), std = the sd the test used, n = the fewer seeds of the two cells, paper_mean = the
     * paper's difference, ci_low/ci_high/p = the 95% interval and p-value,
     * p_holm = corrected over the report, extra = seeds per cell for 80% power when unresolved; kind spearman /
     * kendall: mean = the coefficient, n = rows compared, p = one-sided exact permutation p; kind one_minus_sigma:
     * the row's concentration measure at the delta quantile named in the method column.
     */
    public static String csvHeader() {
        return "kind,dataset,variant,table,row,method,mean,std,n,paper_mean,paper_std,difference,ci_low,ci_high,p,"
                + "p_holm,test,verdict,extra\n";
    }

    private static String num(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** HTML text or attribute value: {@code & < > " '} escaped. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
