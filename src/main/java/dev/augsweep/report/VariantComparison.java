package dev.augsweep.report;

import dev.augsweep.report.stats.Comparison;
import dev.augsweep.report.stats.Holm;
import dev.augsweep.report.stats.RankTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One table row's cells compared across two variants of a scale (a grid over precision, lr, ...): the first
 * variant's accuracy minus the second's, paired by seed, Holm-corrected over every such comparison of the report.
 * This is how a claim such as "bf16 is as accurate as fp32" is tested: a difference the corrected test resolves is
 * one; an unresolved one is not evidence of equality, only of no difference this large at these seeds.
 */
public record VariantComparison(Scale scale, String first, String second, String method, String row,
                                Comparison test, double pHolm) {
    /** Every comparison between the variants of each scale shown, corrected together. */
    public static List<VariantComparison> of(List<TablesReport.Report> reports) {
        List<VariantComparison> raw = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            for (int j = i + 1; j < reports.size(); j++) {
                TablesReport.Report a = reports.get(i);
                TablesReport.Report b = reports.get(j);
                if (a.scale().withVariant("").equals(b.scale().withVariant(""))) {
                    compare(a, b, raw);
                }
            }
        }
        double[] p = raw.stream().mapToDouble(c -> c.test().p()).toArray();
        double[] adjusted = Holm.adjust(p);
        List<VariantComparison> out = new ArrayList<>();
        for (int k = 0; k < raw.size(); k++) {
            VariantComparison c = raw.get(k);
            out.add(new VariantComparison(c.scale(), c.first(), c.second(), c.method(), c.row(), c.test(), adjusted[k]));
        }
        return out;
    }

    private static void compare(TablesReport.Report a, TablesReport.Report b, List<VariantComparison> out) {
        for (int t = 0; t < a.tables().size() && t < b.tables().size(); t++) {
            PaperTable ta = a.tables().get(t);
            PaperTable tb = b.tables().get(t);
            for (String method : ta.methods()) {
                for (String row : ta.rows()) {
                    CellStats ca = ta.entry(row, method).ours();
                    CellStats cb = tb.entry(row, method).ours();
                    if (ca != null && cb != null && ca.complete() && cb.complete()) {
                        Comparison c = Comparison.of(ca.bySeed(), cb.bySeed());
                        if (c != null) {
                            String label = ta.name().equals("color_strength") ? "color " + row : row;
                            out.add(new VariantComparison(a.scale().withVariant(""), a.scale().variant(),
                                    b.scale().variant(), method, label, c, Double.NaN));
                        }
                    }
                }
            }
        }
    }

    /** Resolved (the corrected p under 0.05) or not. */
    public String verdict() {
        if (Double.isNaN(pHolm) || pHolm >= StepVerdicts.ALPHA) {
            return "unresolved";
        }
        return test.difference() > 0 ? "first higher" : "first lower";
    }

    /** "simclr abcde: precision=bf16 minus precision=fp32 -0.12 [-0.80, +0.56] (paired, 3 seeds), p ..., Holm p ...". */
    public String describe() {
        return String.format(Locale.ROOT, "%s %s: %s minus %s %s (%s), p %s, Holm p %s: %s", method, row, first,
                second, test.interval(), test.test(), Double.isNaN(test.p()) ? "n/a" : RankTest.pText(test.p()),
                Double.isNaN(pHolm) ? "n/a" : RankTest.pText(pHolm), verdict());
    }
}
