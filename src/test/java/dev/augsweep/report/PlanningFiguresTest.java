package dev.augsweep.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.report.stats.Power;
import dev.augsweep.storage.StorePath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The planning figures the guide and the job quote (how many seeds, what they resolve) are what the first
 * reproduction's data and the exact noncentral t give: each is computed here and must appear in the text as
 * written, so that a change of data or of the power computation cannot leave a stale figure behind (issue 48 found
 * five written from an older approximation).
 */
class PlanningFiguresTest {
    private static final double ALPHA = StepVerdicts.ALPHA;
    /** SimCLR's seven steps, and the report's eleven once MoCo's four joined. */
    private static final int SIMCLR_STEPS = 7;
    private static final int REPORT_STEPS = 11;

    @Test
    void theGuidesAndTheJobsPlanningFiguresAreWhatTheDataAndTheExactPowerGive() throws Exception {
        double[] sd = new double[2];
        double[] ratio = new double[2];
        try (ResultsViews views = ResultsViews.open(List.of(StorePath.local(Path.of("docs/results/cpu-paper"))))) {
            List<TablesReport.StepRow> steps = TablesReport.steps(TablesReport.Request.DEFAULTS.build(views));
            String[][] leaned = {{"abc", "ab"}, {"1/8", "1/4"}}; // the steps the paper leans on
            for (int i = 0; i < 2; i++) {
                String[] pair = leaned[i];
                Agreement.Step s = steps.stream().filter(r -> r.method().equals("simclr")
                        && r.step().first().equals(pair[0]) && r.step().second().equals(pair[1])).findFirst()
                        .orElseThrow().step();
                sd[i] = s.test().sdFirst();
                ratio[i] = Math.abs(s.ours()) / sd[i];
            }
        }
        double simclr = ALPHA / SIMCLR_STEPS; // Holm's strictest level, Bonferroni's
        double report = ALPHA / REPORT_STEPS;
        // as read: line breaks (and a job file's comment marks) are spaces
        String guide = Files.readString(Path.of("docs/paper-at-cpu-scale.md")).replaceAll("\\s+", " ");
        String job = Files.readString(Path.of("jobs/cpu-paper-v2.conf")).replaceAll("\\s*\n#\\s*", " ");

        assertThat(guide).contains(String.format(Locale.ROOT, "per-seed spreads of %.2f–%.2f, %.1f–%.1f times their "
                + "spread", Math.min(sd[0], sd[1]), Math.max(sd[0], sd[1]), ratio[0], ratio[1]));
        assertThat(guide).contains(String.format(Locale.ROOT, "six seeds resolve such a step %.0f–%.0f%% of the time",
                100 * Power.pairedPower(6, ratio[0], simclr), 100 * Power.pairedPower(6, ratio[1], simclr)));
        assertThat(guide).contains(String.format(Locale.ROOT, "six seeds resolve them %.0f–%.0f%% of the time",
                100 * Power.pairedPower(6, ratio[0], report), 100 * Power.pairedPower(6, ratio[1], report)));
        assertThat(guide).contains(String.format(Locale.ROOT, "a step %.2f times the spread of its per-seed "
                + "differences (%.2f over SimCLR's seven alone)", Power.pairedRatioFor80(6, report),
                Power.pairedRatioFor80(6, simclr)));
        assertThat(guide).contains(String.format(Locale.ROOT, "about %.1f times the spread of its per-seed "
                + "differences to be resolved 80%% of the time over 7 tests (%.1f times with 5 seeds, %.1f with 8)",
                Power.pairedRatioFor80(3, simclr), Power.pairedRatioFor80(5, simclr), Power.pairedRatioFor80(8,
                        simclr)));

        assertThat(job).contains(String.format(Locale.ROOT, "per-seed spreads of %.2f-%.2f in docs/results/cpu-paper, "
                + "a ratio of about %.1f-%.1f", Math.min(sd[0], sd[1]), Math.max(sd[0], sd[1]), ratio[0], ratio[1]));
        assertThat(job).contains(String.format(Locale.ROOT, "80%% power there takes %d seeds at "
                + "ratio %.1f and %d at %.1f (6 seeds resolve ratios from %.2f on, 3 seeds only from %.1f)",
                seeds(ratio[0], simclr), ratio[0], seeds(ratio[1], simclr), ratio[1], Power.pairedRatioFor80(6, simclr),
                Power.pairedRatioFor80(3, simclr)));
        assertThat(job).contains(String.format(Locale.ROOT, "the family is 11: 6 seeds resolve "
                + "ratios from %.2f on, %.1f would take %d and %.1f take %d", Power.pairedRatioFor80(6, report),
                ratio[0], seeds(ratio[0], report), ratio[1], seeds(ratio[1], report)));

        // a 5,000-image test set against 2,000: binomial std of kNN accuracy near 33%, and its ratio
        String noise = String.format(Locale.ROOT, "%.2f times the kNN noise of 2,000: %.2f points of binomial std at "
                + "33%%", Math.sqrt(2000.0 / 5000), 100 * Math.sqrt(0.33 * 0.67 / 5000));
        assertThat(guide).contains(noise);
        assertThat(Files.readString(Path.of("jobs/cpu-paper.conf")).replaceAll("\\s*\n#\\s*", " ")).contains(noise);
    }

    private static int seeds(double ratio, double alpha) {
        return Power.pairedSeeds(ratio, 1, alpha);
    }
}
