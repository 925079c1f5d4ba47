package dev.augsweep.report;

import dev.augsweep.report.stats.Comparison;
import dev.augsweep.report.stats.RankTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How one method's column of a table agrees with the published one: rank correlations over the rows both have (each
 * with its exact permutation p-value), and each adjacent pair of those rows (abcde vs abcd, ..., 1/2 vs 1) tested:
 * our difference with its 95% interval and p-value (see {@link Comparison}), and a verdict once the p-values of the
 * whole report are corrected together ({@link StepVerdicts}).
 */
public record Agreement(String method, int rows, RankTest spearman, RankTest kendall, List<Step> steps) {
    public enum Verdict {
        /** The corrected test rejects equality and our difference has the paper's sign. */
        REPRODUCED,
        /** The corrected test rejects equality and our difference has the opposite sign. */
        REVERSED,
        /**
         * Our corrected test rejects equality, but the paper's own runs do not resolve its step (tested as ours are,
         * {@link Context#paperHolm}): there is no published direction to reproduce or reverse.
         */
        PAPER_WITHIN_NOISE,
        /** The corrected test does not reject equality: the data cannot tell. */
        UNRESOLVED,
        /** A cell of the step has fewer than three seeds. */
        TOO_FEW_SEEDS,
        /** The method's best cell is not above its untrained control: its order says nothing about augmentations. */
        DID_NOT_LEARN,
        /** Not decided yet: the report's correction has not run. */
        PENDING;

        public String words() {
            return this == DID_NOT_LEARN ? "no verdict (did not learn at this scale)"
                    : name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /** The runs behind each published cell (the paper's protocol: seeds 0, 1, 2). */
    public static final int PAPER_RUNS = 3;

    /**
     * Two adjacent rows: our comparison (null when a cell has fewer than 2 seeds), the paper's difference and its
     * own two-sided p (Welch's, from the published mean ± std of {@link #PAPER_RUNS} runs each), the Holm-corrected
     * p-value (NaN when not tested), the verdict, what it takes to resolve an unresolved step, and what else the
     * verdict rests on ({@link Context}).
     */
    public record Step(String first, String second, Comparison test, double paper, double paperP, int minSeeds,
                       double pHolm, Verdict verdict, Integer seedsFor80, Context context) {
        public double ours() {
            return test == null ? Double.NaN : test.difference();
        }

        /** Whether this step enters the report's family of tests. */
        public boolean testable() {
            return test != null && minSeeds >= 3 && !Double.isNaN(test.p());
        }

        public Step decided(double adjusted, Verdict v, Integer seeds, Context c) {
            return new Step(first, second, test, paper, paperP, minSeeds, adjusted, v, seeds, c);
        }

        public Step withContext(Context c) {
            return new Step(first, second, test, paper, paperP, minSeeds, pHolm, verdict, seedsFor80, c);
        }

        /** The verdict of a tested step whose corrected p is {@code adjusted}, given its context's paper noise. */
        public Verdict verdictAt(double adjusted, Context c) {
            if (!(adjusted < StepVerdicts.ALPHA)) {
                return Verdict.UNRESOLVED;
            }
            if (c.paperWithinNoise()) {
                return Verdict.PAPER_WITHIN_NOISE;
            }
            return Math.signum(ours()) == Math.signum(paper) ? Verdict.REPRODUCED : Verdict.REVERSED;
        }

        public String describe() {
            String paperText = String.format(Locale.ROOT, "paper %+.2f", paper);
            if (context.paperWithinNoise()) {
                paperText += " (within its own noise: Holm p " + RankTest.pText(context.paperHolm()) + " over its "
                        + PAPER_RUNS + " runs a cell)";
            }
            if (test == null) {
                return first + " vs " + second + ": " + verdict.words() + "; " + paperText;
            }
            StringBuilder sb = new StringBuilder(first).append(" vs ").append(second).append(": ")
                    .append(test.interval()).append(" (").append(test.test()).append(')');
            if (!Double.isNaN(test.p())) {
                sb.append(", p ").append(RankTest.pText(test.p()));
            }
            if (!Double.isNaN(pHolm)) {
                sb.append(", Holm p ").append(RankTest.pText(pHolm));
            }
            sb.append("; ").append(paperText).append(": ").append(verdict.words());
            if (verdict == Verdict.UNRESOLVED) {
                sb.append(seedsFor80 == null ? " (no difference to power)"
                        : " (" + seedsFor80 + " seeds per cell for 80% power)");
            }
            // After the verdict, without a colon: the dashboard finds the verdict as the text after the last one.
            context.otherFamilies().forEach((family, q) -> {
                Verdict there = verdictAt(q, context);
                if (there != verdict) {
                    sb.append("; ").append(there.words()).append(" with Holm over ").append(family).append(" (p ")
                            .append(RankTest.pText(q)).append(')');
                }
            });
            Map<Verdict, List<String>> bySeed = new java.util.TreeMap<>();
            context.withoutSeed().forEach((seed, v) -> bySeed.computeIfAbsent(v, k -> new ArrayList<>()).add("" + seed));
            bySeed.forEach((v, seeds) -> sb.append("; fragile (").append(v.words()).append(" without seed ")
                    .append(seeds.size() == 1 ? seeds.get(0) : String.join(", ", seeds.subList(0, seeds.size() - 1))
                            + " or " + seeds.get(seeds.size() - 1)).append(')'));
            return sb.toString();
        }
    }

    /**
     * What a decided verdict rests on besides our test.
     *
     * @param paperHolm     the paper's own p ({@link Step#paperP}) corrected by Holm over the same family as ours:
     *                      at or above {@link StepVerdicts#ALPHA} the publication does not resolve its step
     * @param otherFamilies the step's corrected p under the families the report could have chosen instead ("each
     *                      table", "each method"), in that order
     * @param withoutSeed   the verdicts the step gets when the report is rebuilt without one seed (by seed), where
     *                      they differ from its own: a verdict that one seed decides is fragile
     */
    public record Context(double paperHolm, Map<String, Double> otherFamilies, Map<Integer, Verdict> withoutSeed) {
        public static final Context NONE = new Context(Double.NaN, Map.of(), Map.of());

        public Context {
            otherFamilies = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(otherFamilies));
            withoutSeed = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(withoutSeed));
        }

        public boolean paperWithinNoise() {
            return paperHolm >= StepVerdicts.ALPHA;
        }

        public Context withoutSeed(Map<Integer, Verdict> changed) {
            return new Context(paperHolm, otherFamilies, changed);
        }
    }

    /** Null when fewer than two rows have both our complete cell and a published value; steps still pending. */
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
                steps.add(new Step(rows.get(i - 1), rows.get(i),
                        Comparison.of(prev.ours().bySeed(), e.ours().bySeed()), prev.paper().mean() - e.paper().mean(),
                        Comparison.welchP(prev.paper().mean(), prev.paper().std(), e.paper().mean(), e.paper().std(),
                                PAPER_RUNS), (int) Math.min(prev.ours().n(), e.ours().n()), Double.NaN,
                        Verdict.PENDING, null, Context.NONE));
            }
        }
        return new Agreement(method, rows.size(), RankTest.spearman(ours, paper), RankTest.kendall(ours, paper),
                steps);
    }

    public Agreement withSteps(List<Step> decided) {
        return new Agreement(method, rows, spearman, kendall, decided);
    }

    public long count(Verdict v) {
        return steps.stream().filter(s -> s.verdict() == v).count();
    }

    /** "simclr: Spearman 0.90 (p 0.042), Kendall 0.80 (p 0.042) over 5 rows (one-sided exact permutation p)". */
    public String describeRanks() {
        return String.format(Locale.ROOT, "%s: Spearman %s, Kendall %s over %d rows", method, spearman.describe(),
                kendall.describe(), rows);
    }
}
