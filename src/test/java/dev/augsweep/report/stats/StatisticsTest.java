package dev.augsweep.report.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tests behind the verdicts against SciPy 1.17's figures for the same samples. */
class StatisticsTest {
    @Test
    void pairedComparisonMatchesScipyTtestRel() {
        // scipy.stats.ttest_rel([34.1, 35.3, 33.9], [31.0, 30.2, 29.5]): p 0.018913, CI (1.678876, 6.721124)
        Comparison c = Comparison.of(Map.of(0, 34.1, 1, 35.3, 2, 33.9), Map.of(0, 31.0, 1, 30.2, 2, 29.5));
        assertThat(c.kind()).isEqualTo(Comparison.Kind.PAIRED);
        assertThat(c.difference()).isCloseTo(4.2, offset(1e-9));
        assertThat(c.p()).isCloseTo(0.01891293, offset(1e-7));
        assertThat(c.low()).isCloseTo(1.678876, offset(1e-5));
        assertThat(c.high()).isCloseTo(6.721124, offset(1e-5));
    }

    @Test
    void cellsSharingFewerThanThreeSeedsAreComparedByWelch() {
        // scipy.stats.ttest_ind([34.1, 35.3, 33.9, 34.8], [31.0, 30.2], equal_var=False): p 0.009915,
        // CI (2.024064, 5.825936)
        Comparison c = Comparison.of(Map.of(0, 34.1, 1, 35.3, 2, 33.9, 3, 34.8), Map.of(4, 31.0, 5, 30.2));
        assertThat(c.kind()).isEqualTo(Comparison.Kind.WELCH);
        assertThat(c.p()).isCloseTo(0.00991507, offset(1e-7));
        assertThat(c.low()).isCloseTo(2.024064, offset(1e-5));
        assertThat(c.high()).isCloseTo(5.825936, offset(1e-5));
        assertThat(Comparison.of(Map.of(0, 1.0), Map.of(0, 2.0, 1, 3.0))).isNull(); // one seed: nothing to test
    }

    @Test
    void holmAdjustsStepDown() {
        assertThat(Holm.adjust(new double[] {0.01, 0.04, 0.03, 0.005, Double.NaN}))
                .containsExactly(new double[] {0.03, 0.06, 0.06, 0.02, Double.NaN}, offset(1e-12));
    }

    @Test
    void rankCorrelationsHandleTiesAsScipyAndHaveExactPermutationP() {
        RankTest s = RankTest.spearman(new double[] {1, 2, 2, 3}, new double[] {1, 2, 3, 4});
        assertThat(s.coefficient()).isCloseTo(0.9486833, offset(1e-6)); // scipy.stats.spearmanr
        assertThat(RankTest.kendall(new double[] {1, 2, 2, 3}, new double[] {1, 2, 3, 4}).coefficient())
                .isCloseTo(0.9128709, offset(1e-6)); // scipy.stats.kendalltau (tau-b)
        // A perfect order over 4 rows: 1 of the 24 orderings.
        RankTest perfect = RankTest.spearman(new double[] {4, 3, 2, 1}, new double[] {40, 30, 20, 10});
        assertThat(perfect.coefficient()).isCloseTo(1.0, offset(1e-12));
        assertThat(perfect.p()).isCloseTo(1.0 / 24, offset(1e-12));
        assertThat(RankTest.kendall(new double[] {5, 4, 3, 2, 1}, new double[] {5, 4, 3, 2, 1}).p())
                .isCloseTo(1.0 / 120, offset(1e-12));
        assertThat(RankTest.spearman(new double[] {1, 1}, new double[] {1, 2}).coefficient()).isNaN();
    }

    @Test
    void seedsForPowerAgreeWithTheNoncentralT() {
        // scipy.stats.nct: a paired step of one sd needs 10 seeds for 80% power at 0.05 (power 0.803 at 10, 0.748 at 9)
        assertThat(Power.pairedSeeds(1.0, 1.0, 0.05)).isEqualTo(10);
        assertThat(Power.pairedSeeds(-1.0, 1.0, 0.05)).isEqualTo(10);
        assertThat(Power.pairedSeeds(1.0, 1.0, 0.005)).isGreaterThan(10); // a stricter level needs more
        assertThat(Power.pairedSeeds(0.0, 1.0, 0.05)).isNull();
        assertThat(Power.welchSeeds(1.0, 1.0, 1.0, 0.05)).isGreaterThan(Power.pairedSeeds(1.0, 1.0, 0.05));
    }

    /**
     * SciPy 1.17's exact figures (nct.sf(c) + nct.cdf(-c) at c = t.ppf(1 - alpha/2)), at Bonferroni's level over the
     * 7 steps of docs/results/cpu-paper-v2 where the shifted central t it replaced asked for too few seeds.
     */
    @Test
    void powerIsTheExactNoncentralTs() {
        double sevenSteps = 0.05 / 7;
        assertThat(Power.noncentralT(-1.5, 3, 0.7)).isCloseTo(0.034151474218530514, offset(1e-9));
        assertThat(Power.noncentralT(2.0, 7.5, -1.2)).isCloseTo(0.9976411141829182, offset(1e-9));
        assertThat(Power.noncentralT(10, 4, 8)).isCloseTo(0.6308339336559515, offset(1e-9));
        assertThat(Power.noncentralT(0.3, 50, 0.1)).isCloseTo(0.5786396497239044, offset(1e-9));
        assertThat(Power.power(1, 1, 0.05)).isCloseTo(0.07298889446967004, offset(1e-9));
        assertThat(Power.power(2, 3, 0.05)).isCloseTo(0.38740012852597105, offset(1e-9));
        assertThat(Power.power(5, 2.5, sevenSteps)).isCloseTo(0.16030018188635334, offset(1e-9));
        assertThat(Power.power(16, 4.2, sevenSteps)).isCloseTo(0.8473875178386426, offset(1e-9));
        assertThat(Power.power(4.3, 3.1, 0.01)).isCloseTo(0.28537157236862554, offset(1e-9));
        assertThat(Power.power(100, 2.8, 0.05)).isCloseTo(0.7919067373470474, offset(1e-9));
        assertThat(Power.pairedSeeds(1, 1, sevenSteps)).isEqualTo(17); // the approximation said 16
        // cpu-paper-v2's steps: abcd vs abc (resolved; 5, the approximation said 4), and the two unresolved ones,
        // abcde vs abcd and ab vs a, with the differences and per-seed sds their six seeds showed
        assertThat(Power.pairedSeeds(4.08666666666667, 1.0500031745983773, sevenSteps)).isEqualTo(5);
        assertThat(Power.pairedSeeds(0.5499999999999972, 1.0905228103987554, sevenSteps)).isEqualTo(53);
        assertThat(Power.pairedSeeds(-0.0866666666666654, 0.4294492597113957, sevenSteps)).isEqualTo(310);
    }
}
