package dev.augsweep.report;

import dev.augsweep.report.stats.Holm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Verdicts for every step of one report at once: the p-values of all testable steps (every table, method and scale
 * shown) form one family, corrected by Holm, so that "reproduced" or "reversed" anywhere in the report is wrong
 * with probability at most {@link #ALPHA} when no step truly differs.
 */
public final class StepVerdicts {
    public static final double ALPHA = 0.05;

    private StepVerdicts() {
    }

    /**
     * @param learned per agreement (same order), whether its method rose above its untrained control at that
     *                scale: FALSE withholds the verdicts of its steps; null (no controls recorded) does not
     */
    public static List<Agreement> decide(List<Agreement> agreements, List<Boolean> learned) {
        List<double[]> at = new ArrayList<>();
        List<Double> p = new ArrayList<>();
        for (int a = 0; a < agreements.size(); a++) {
            List<Agreement.Step> steps = agreements.get(a).steps();
            for (int s = 0; s < steps.size(); s++) {
                if (steps.get(s).testable() && !Boolean.FALSE.equals(learned.get(a))) {
                    at.add(new double[] {a, s});
                    p.add(steps.get(s).test().p());
                }
            }
        }
        double[] adjusted = Holm.adjust(p.stream().mapToDouble(Double::doubleValue).toArray());
        Map<String, Double> byPosition = new java.util.HashMap<>();
        for (int i = 0; i < at.size(); i++) {
            byPosition.put((int) at.get(i)[0] + "|" + (int) at.get(i)[1], adjusted[i]);
        }
        // The seeds a step would need: at the family's strictest level (Bonferroni's), which is enough for Holm.
        double strictest = ALPHA / Math.max(1, at.size());
        List<Agreement> decided = new ArrayList<>();
        for (int a = 0; a < agreements.size(); a++) {
            List<Agreement.Step> steps = new ArrayList<>();
            for (int s = 0; s < agreements.get(a).steps().size(); s++) {
                Agreement.Step step = agreements.get(a).steps().get(s);
                Double q = byPosition.get(a + "|" + s);
                if (Boolean.FALSE.equals(learned.get(a))) {
                    steps.add(step.decided(Double.NaN, Agreement.Verdict.DID_NOT_LEARN, null));
                } else if (q == null) {
                    steps.add(step.decided(Double.NaN, Agreement.Verdict.TOO_FEW_SEEDS, null));
                } else if (q < ALPHA) {
                    boolean sameSign = Math.signum(step.ours()) == Math.signum(step.paper());
                    steps.add(step.decided(q, sameSign ? Agreement.Verdict.REPRODUCED : Agreement.Verdict.REVERSED,
                            null));
                } else {
                    steps.add(step.decided(q, Agreement.Verdict.UNRESOLVED, step.test().seedsFor80(strictest)));
                }
            }
            decided.add(agreements.get(a).withSteps(steps));
        }
        return decided;
    }
}
