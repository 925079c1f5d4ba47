package dev.augsweep.report;

import dev.augsweep.report.stats.Holm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Verdicts for every step of one report at once. The p-values of all testable steps (every table, method and scale
 * shown) form one family, corrected by Holm, so that "reproduced" or "reversed" anywhere in the report is wrong
 * with probability at most {@link #ALPHA} when no step truly differs. The whole report is the family because its
 * verdicts are read together (the README's summary quotes steps of both tables and both methods side by side);
 * a family per table or per method corrects less and calls more, and where that would change a verdict the step
 * says so ({@link Agreement.Context#otherFamilies}), so the choice is in plain view.
 *
 * <p>The paper's own steps are tested the same way, from its published runs, and corrected over the same family:
 * where they do not resolve, the published step is within the paper's own noise, and ours is neither a
 * reproduction nor a reversal of it.
 */
public final class StepVerdicts {
    public static final double ALPHA = 0.05;
    /** The families one could choose instead of the whole report, as the report names them. */
    static final String PER_TABLE = "each table";
    static final String PER_METHOD = "each method";

    private StepVerdicts() {
    }

    /**
     * @param learned per agreement (same order), whether its method rose above its untrained control at that
     *                scale: FALSE withholds the verdicts of its steps; null (no controls recorded) does not
     * @param tables  per agreement, the table (and scale) it belongs to: the per-table family's key
     */
    public static List<Agreement> decide(List<Agreement> agreements, List<Boolean> learned, List<String> tables) {
        List<int[]> at = new ArrayList<>();
        for (int a = 0; a < agreements.size(); a++) {
            List<Agreement.Step> steps = agreements.get(a).steps();
            for (int s = 0; s < steps.size(); s++) {
                if (steps.get(s).testable() && !Boolean.FALSE.equals(learned.get(a))) {
                    at.add(new int[] {a, s});
                }
            }
        }
        IntFunction<Agreement.Step> step = i -> agreements.get(at.get(i)[0]).steps().get(at.get(i)[1]);
        double[] ours = new double[at.size()];
        double[] paper = new double[at.size()];
        for (int i = 0; i < at.size(); i++) {
            ours[i] = step.apply(i).test().p();
            paper[i] = step.apply(i).paperP();
        }
        double[] report = Holm.adjust(ours);
        double[] paperHolm = Holm.adjust(paper);
        double[] perTable = holmWithin(ours, i -> tables.get(at.get(i)[0]));
        double[] perMethod = holmWithin(ours, i -> agreements.get(at.get(i)[0]).method());
        Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < at.size(); i++) {
            index.put(at.get(i)[0] + "|" + at.get(i)[1], i);
        }
        // The seeds a step would need: at the family's strictest level (Bonferroni's), which is enough for Holm.
        double strictest = ALPHA / Math.max(1, at.size());
        List<Agreement> decided = new ArrayList<>();
        for (int a = 0; a < agreements.size(); a++) {
            List<Agreement.Step> steps = new ArrayList<>();
            for (int s = 0; s < agreements.get(a).steps().size(); s++) {
                Agreement.Step st = agreements.get(a).steps().get(s);
                Integer i = index.get(a + "|" + s);
                if (Boolean.FALSE.equals(learned.get(a))) {
                    steps.add(st.decided(Double.NaN, Agreement.Verdict.DID_NOT_LEARN, null, Agreement.Context.NONE));
                } else if (i == null) {
                    steps.add(st.decided(Double.NaN, Agreement.Verdict.TOO_FEW_SEEDS, null, Agreement.Context.NONE));
                } else {
                    Map<String, Double> others = new LinkedHashMap<>();
                    others.put(PER_TABLE, perTable[i]);
                    others.put(PER_METHOD, perMethod[i]);
                    Agreement.Context c = new Agreement.Context(paperHolm[i], others, Map.of());
                    Agreement.Verdict v = st.verdictAt(report[i], c);
                    steps.add(st.decided(report[i], v, v == Agreement.Verdict.UNRESOLVED
                            ? st.test().seedsFor80(strictest) : null, c));
                }
            }
            decided.add(agreements.get(a).withSteps(steps));
        }
        return decided;
    }

    /** Holm within each group of the family ({@code group} of a position), in the input's order. */
    private static double[] holmWithin(double[] p, IntFunction<String> group) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < p.length; i++) {
            groups.computeIfAbsent(group.apply(i), k -> new ArrayList<>()).add(i);
        }
        double[] out = new double[p.length];
        groups.values().forEach(members -> {
            double[] adjusted = Holm.adjust(members.stream().mapToDouble(i -> p[i]).toArray());
            for (int k = 0; k < members.size(); k++) {
                out[members.get(k)] = adjusted[k];
            }
        });
        return out;
    }
}
