package dev.augsweep.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.augsweep.data.Dataset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Steps, verdicts and controls on hand-made cells whose tests are known. */
class AgreementTest {
    static final Scale SCALE = new Scale(Dataset.CIFAR10, 10, 0.25, 5000, 2000, 256, 2021, "");

    /** A cell whose seeds 0, 1, ... scored {@code values}, each seed's untrained control {@code control}. */
    static CellStats cell(String method, String augs, double strength, double control, double... values) {
        Map<Integer, Double> best = new HashMap<>();
        Map<Integer, Double> init = new HashMap<>();
        for (int i = 0; i < values.length; i++) {
            best.put(i, values[i]);
            if (!Double.isNaN(control)) {
                init.put(i, control + 0.1 * i);
            }
        }
        return new CellStats(SCALE, method + "-" + augs + "-" + strength, method, augs, strength, best, init, null);
    }

    private static TablesReport.Report report(List<CellStats> cells) {
        Map<String, Control> controls = new HashMap<>();
        cells.stream().map(CellStats::method).distinct().forEach(m -> controls.put(m, Control.of(m, cells)));
        TablesReport.Report r = new TablesReport.Report(SCALE, List.of(SCALE), 2021, List.of(
                PaperTable.combinations(cells, PaperResults.load(), Dataset.CIFAR10, 2021),
                PaperTable.colorStrength(cells, PaperResults.load(), Dataset.CIFAR10, 2021)), controls);
        return TablesReport.decided(List.of(r)).get(0);
    }

    @Test
    void stepsAreReproducedReversedUnresolvedOrTooFewSeeds() {
        // 2021 SimCLR: abcde 89.92, abcd 88.41, abc 83.62, ab 62.91 (all decreasing).
        List<CellStats> cells = new ArrayList<>(List.of(
                cell("simclr", "abcde", 1, 20, 40.0, 41.0, 42.0),   // vs abcd: +10.0 on every seed -> reproduced
                cell("simclr", "abcd", 1, 20, 30.0, 31.0, 32.0),    // vs abc: -10 on every seed -> reversed
                cell("simclr", "abc", 1, 20, 40.0, 41.1, 41.9),     // vs ab: +0.3, seeds scatter -> unresolved
                cell("simclr", "ab", 1, 20, 41.0, 39.5, 41.6),
                cell("simclr", "a", 1, 20, 30.0, 31.0)));           // 2 seeds: too few
        Agreement a = report(cells).combinations().agreements().get(0);
        assertThat(a.steps()).extracting(Agreement.Step::verdict).containsExactly(Agreement.Verdict.REPRODUCED,
                Agreement.Verdict.REVERSED, Agreement.Verdict.UNRESOLVED, Agreement.Verdict.TOO_FEW_SEEDS);
        Agreement.Step first = a.steps().get(0);
        assertThat(first.ours()).isCloseTo(10.0, offset(1e-9));
        assertThat(first.paper()).isCloseTo(89.92 - 88.41, offset(1e-9));
        assertThat(first.test().kind()).isEqualTo(dev.augsweep.report.stats.Comparison.Kind.PAIRED);
        // Three tested steps: the smallest p is multiplied by 3.
        assertThat(a.steps().get(2).seedsFor80()).isGreaterThan(3);
        assertThat(a.steps().get(2).describe()).contains("abc vs ab: +0.30").contains("unresolved")
                .contains("seeds per cell for 80% power");
        assertThat(a.rows()).isEqualTo(5);
        assertThat(a.spearman().p()).isBetween(0.0, 1.0);
    }

    @Test
    void aMethodThatDidNotRiseAboveItsControlGetsNoVerdicts() {
        List<CellStats> cells = List.of(
                cell("barlowtwins", "abcde", 1, 23, 22.0, 23.5, 23.0), // at its control (23.0-23.2)
                cell("barlowtwins", "abcd", 1, 23, 12.0, 12.5, 12.2),
                cell("simclr", "abcde", 1, 23, 34.0, 35.0, 36.0),
                cell("simclr", "abcd", 1, 23, 24.0, 25.0, 26.0));
        TablesReport.Report r = report(cells);
        assertThat(r.controls().get("barlowtwins").learned()).isFalse();
        assertThat(r.controls().get("simclr").learned()).isTrue();
        assertThat(r.controls().get("simclr").mean()).isCloseTo(23.1, offset(1e-9));
        Agreement barlow = r.combinations().agreements().stream().filter(a -> a.method().equals("barlowtwins"))
                .findFirst().orElseThrow();
        assertThat(barlow.steps()).extracting(Agreement.Step::verdict).containsOnly(Agreement.Verdict.DID_NOT_LEARN);
        String md = TableFormat.md.render(r, r.combinations());
        assertThat(md).contains("| untrained |").contains("did not learn at this scale")
                .contains("simclr 23.10 ± 0.08 (3 seeds); best cell abcde +11.90");
    }

    @Test
    void aMethodRunForOneTableHasNoControlUnderTheOther() {
        List<CellStats> cells = List.of(cell("simclr", "abcde", 1, 20, 40.0, 41.0, 42.0),
                cell("simclr", "color", 0.5, 20, 35.0, 36.0, 37.0), cell("moco", "abcde", 1, 22, 30.0, 31.0, 32.0));
        TablesReport.Report r = report(cells);
        String combinations = TableFormat.md.render(r, r.combinations());
        assertThat(combinations).contains("- moco 22.10 ± 0.08 (3 seeds)").contains("- simclr 20.10");
        String strength = TableFormat.md.render(r, r.colorStrength());
        assertThat(strength).contains("- simclr 20.10").doesNotContain("- moco ")
                .contains("| untrained | 20.10 ± 0.08 |  |  |  |\n"); // moco, with no cells here, has no columns
        assertThat(TableFormat.csv.render(r, r.colorStrength())).contains("control,cifar10,,color_strength,")
                .doesNotContain(",moco,22.1000,");
    }

    @Test
    void csvAndHtmlCarryTheTests() {
        List<CellStats> cells = List.of(cell("simclr", "abcde", 1, 20, 40.0, 41.0, 42.0),
                cell("simclr", "abcd", 1, 20, 30.0, 31.0, 32.0), cell("simclr", "abc", 1, 20, 20.0, 21.0, 22.5));
        TablesReport.Report r = report(cells);
        String csv = TableFormat.csv.render(r, r.combinations());
        assertThat(csv).contains("step,cifar10,,combinations,abcde vs abcd,simclr,10.0000,0.0000,3,1.5100,")
                .contains("\"paired, 3 seeds\",reproduced,")
                .contains("spearman,cifar10,,combinations,,simclr,1.0000,,3,")
                .contains("control,cifar10,,combinations,abcde,simclr,20.1000,");
        String outsideQuotes = ",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)";
        assertThat(csv.lines().findFirst().orElseThrow().split(outsideQuotes, -1)).hasSize(
                TableFormat.csvHeader().strip().split(",").length);
        assertThat(TableFormat.html.render(r, r.combinations())).contains("<li>simclr abcde vs abcd: +10.00");
    }
}
