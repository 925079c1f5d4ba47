package dev.augsweep.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How one method's column of a table agrees with the published one: rank correlations over the rows both have,
 * and each adjacent pair of those rows (abcde vs abcd, ..., 1/2 vs 1) marked reproduced, reversed, or within noise
 * when our difference is smaller than the seeds' spread (the larger population std of the two cells).
 */
public record Agreement(String method, int rows, double spearman, double kendall, List<Step> steps) {
    public enum Verdict {
        REPRODUCED, REVERSED, WITHIN_NOISE;

        public String words() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /** Two adjacent rows: our and the paper's difference (first minus second), and the seeds' spread. */
    public record Step(String first, String second, double ours, double paper, double spread, Verdict verdict) {
        public String describe() {
            return String.format(Locale.ROOT, "%s vs %s %s (%+.2f, paper %+.2f, spread %.2f)", first, second,
                    verdict.words(), ours, paper, spread);
        }
    }

    /** Null when fewer than two rows have both our cell and a published value. */
    public static Agreement of(PaperTable table, String method) {
        List<String> rows = new ArrayList<>();
        for (String row : table.rows()) {
            PaperTable.Entry e = table.entry(row, method);
            if (e.ours() != null && e.ours().complete() && e.paper() != null) {
                rows.add(row);
            }
        }
        if (rows.size() < 2) {
            return null;
        }
        double[] ours = new double[rows.size()];
        double[] paper = new double[rows.size()];
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            PaperTable.Entry e = table.entry(rows.get(i), method);
            ours[i] = e.ours().mean();
            paper[i] = e.paper().mean();
            if (i > 0) {
                PaperTable.Entry prev = table.entry(rows.get(i - 1), method);
                double d = prev.ours().mean() - e.ours().mean();
                double p = prev.paper().mean() - e.paper().mean();
                double spread = Math.max(prev.ours().std(), e.ours().std());
                Verdict v = Math.abs(d) <= spread ? Verdict.WITHIN_NOISE
                        : Math.signum(d) == Math.signum(p) ? Verdict.REPRODUCED : Verdict.REVERSED;
                steps.add(new Step(rows.get(i - 1), rows.get(i), d, p, spread, v));
            }
        }
        return new Agreement(method, rows.size(), RankCorrelation.spearman(ours, paper),
                RankCorrelation.kendall(ours, paper), steps);
    }

    public long count(Verdict v) {
        return steps.stream().filter(s -> s.verdict() == v).count();
    }

    /** One line: "simclr: Spearman 0.90, Kendall 0.80 over 5 rows; abcde vs abcd reproduced (...); ...". */
    public String describe() {
        List<String> parts = new ArrayList<>();
        steps.forEach(s -> parts.add(s.describe()));
        return String.format(Locale.ROOT, "%s: Spearman %s, Kendall %s over %d rows; %s", method, num(spearman),
                num(kendall), rows, String.join("; ", parts));
    }

    static String num(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }
}
