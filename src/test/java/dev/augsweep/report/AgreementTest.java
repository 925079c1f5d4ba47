package dev.augsweep.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.augsweep.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rank correlations and row-by-row verdicts on hand-made cells. */
class AgreementTest {
    private static final Scale SCALE = new Scale(Dataset.CIFAR10, 10, 0.25, 5000, 2000, 256, 2021);

    private static CellStats cell(String augs, double mean, double std) {
        return new CellStats(SCALE, "simclr", augs, 1.0, mean, std, 3, null);
    }

    @Test
    void rankCorrelationsHandleTiesAsScipyDoes() {
        assertThat(RankCorrelation.spearman(new double[] {1, 2, 3, 4}, new double[] {1, 3, 2, 4})).isCloseTo(0.8, offset(1e-12));
        assertThat(RankCorrelation.kendall(new double[] {1, 2, 3, 4}, new double[] {1, 3, 2, 4})).isCloseTo(2.0 / 3, offset(1e-12));
        // scipy.stats.spearmanr([1, 2, 2, 3], [1, 2, 3, 4]) = 0.9486833; kendalltau (tau-b) = 0.9128709
        assertThat(RankCorrelation.spearman(new double[] {1, 2, 2, 3}, new double[] {1, 2, 3, 4})).isCloseTo(0.9486833, offset(1e-6));
        assertThat(RankCorrelation.kendall(new double[] {1, 2, 2, 3}, new double[] {1, 2, 3, 4})).isCloseTo(0.9128709, offset(1e-6));
        assertThat(RankCorrelation.spearman(new double[] {1, 1}, new double[] {1, 2})).isNaN();
    }

    @Test
    void adjacentRowsAreReproducedReversedOrWithinTheSeedsSpread() {
        // 2021 SimCLR: abcde 89.92, abcd 88.41, abc 83.62, ab 62.91, a 62.37 (all decreasing).
        List<CellStats> cells = new ArrayList<>(List.of(
                cell("abcde", 34.0, 0.3),   // vs abcd: +1.0 > spread 0.5 -> reproduced
                cell("abcd", 33.0, 0.5),    // vs abc: -2.0, beyond the spread -> reversed
                cell("abc", 35.0, 0.4),     // vs ab: +0.2 < spread 0.4 -> within noise
                cell("ab", 34.8, 0.1)));    // a has no runs: its pair is not judged
        PaperTable t = PaperTable.combinations(cells, PaperResults.load(), Dataset.CIFAR10, 2021);
        Agreement a = Agreement.of(t, "simclr");
        assertThat(a.rows()).isEqualTo(4);
        assertThat(a.steps()).extracting(Agreement.Step::verdict).containsExactly(Agreement.Verdict.REPRODUCED,
                Agreement.Verdict.REVERSED, Agreement.Verdict.WITHIN_NOISE);
        assertThat(a.steps().get(0).paper()).isCloseTo(89.92 - 88.41, offset(1e-9));
        assertThat(a.steps().get(1).ours()).isCloseTo(-2.0, offset(1e-9));
        // ours ranks abc > abcde > ab > abcd; the paper abcde > abcd > abc > ab.
        assertThat(a.spearman()).isCloseTo(RankCorrelation.spearman(new double[] {34, 33, 35, 34.8},
                new double[] {89.92, 88.41, 83.62, 62.91}), offset(1e-12));
        assertThat(a.describe()).contains("abcde vs abcd reproduced").contains("abcd vs abc reversed")
                .contains("abc vs ab within noise");
        assertThat(Agreement.of(t, "barlowtwins")).isNull(); // no runs of it
        // A cell a schedule stopped is not compared with a complete one.
        cells.set(0, new CellStats(SCALE, "simclr", "abcde", 1.0, 34.0, 0.3, 3, 5));
        assertThat(Agreement.of(PaperTable.combinations(cells, PaperResults.load(), Dataset.CIFAR10, 2021), "simclr")
                .rows()).isEqualTo(3);
    }

    @Test
    void markdownAndCsvCarryTheAgreement() {
        List<CellStats> cells = List.of(cell("abcde", 34.0, 0.3), cell("abcd", 33.0, 0.5), cell("abc", 30.0, 0.4));
        PaperTable t = PaperTable.combinations(cells, PaperResults.load(), Dataset.CIFAR10, 2021);
        assertThat(TableFormat.md.render(SCALE, t, "")).contains("Agreement with the paper")
                .contains("simclr: Spearman 1.00, Kendall 1.00 over 3 rows");
        assertThat(TableFormat.csv.render(SCALE, t, "")).contains("spearman,cifar10,combinations,,simclr,1.0000,,3,")
                .contains("step,cifar10,combinations,abcde vs abcd,simclr,1.0000,0.5000,,1.5100,,,reproduced");
        assertThat(TableFormat.html.render(SCALE, t, "")).contains("<li>simclr: Spearman 1.00");
    }
}
