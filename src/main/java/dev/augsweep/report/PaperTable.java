package dev.augsweep.report;

import dev.augsweep.config.Fractions;
import dev.augsweep.data.Dataset;
import dev.augsweep.report.stats.RankTest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One of the paper's two tables at one scale: rows (augmentation combinations, or colour strengths), one column
 * group per method, each cell our mean ± std beside the published value and the difference.
 */
public record PaperTable(String name, String title, String rowHeader, List<String> rows, List<String> methods,
                         Map<String, Entry> entries, ConcentrationMeasure concentration, List<Agreement> agreements) {
    public static final List<String> METHOD_ORDER = List.of("simclr", "moco", "simsiam", "barlowtwins");
    public static final List<String> COMBINATION_ROWS = List.of("abcde", "abcd", "abc", "ab", "a");
    public static final List<String> PAIR_ROWS = List.of("ab", "ac", "ad", "ae", "bc", "bd", "be", "cd", "ce", "de");

    /** Ours (null: no runs, a blank cell) beside the paper's (null: not published). */
    public record Entry(CellStats ours, PaperResults.Cell paper) {
        public Double difference() {
            return ours == null || paper == null ? null : ours.mean() - paper.mean();
        }
    }

    public Entry entry(String row, String method) {
        return entries.getOrDefault(row + "|" + method, new Entry(null, null));
    }

    /** Whether {@code method} has at least one of our cells in this table. */
    public boolean ran(String method) {
        return rows.stream().anyMatch(r -> entry(r, method).ours() != null);
    }

    /** The same table with 1 - sigma beside each row where the setting was measured. */
    public PaperTable withConcentration(ConcentrationMeasure measure) {
        return new PaperTable(name, title, rowHeader, rows, methods, entries, measure, agreements);
    }

    /** The same table with its agreements decided (verdicts given over the whole report, see StepVerdicts). */
    public PaperTable withAgreements(List<Agreement> decided) {
        return new PaperTable(name, title, rowHeader, rows, methods, entries, concentration, List.copyOf(decided));
    }

    /** 1 - sigma at each delta quantile for a row, or null when it was not measured. */
    public double[] concentration(String row) {
        return concentration == null ? null : concentration.oneMinusSigma().get(settingKey(row));
    }

    private String settingKey(String row) {
        return name.equals("color_strength") ? "color " + row : row;
    }

    /**
     * Per method and delta: the rank correlation between 1 - sigma and kNN error (100 - accuracy) over the rows
     * that have both, as the paper's theory predicts a positive one. Empty without a measure.
     */
    public List<String> concentrationCorrelations() {
        List<String> lines = new ArrayList<>();
        if (concentration == null) {
            return lines;
        }
        for (String method : methods) {
            List<String> measured = rows.stream().filter(r -> concentration(r) != null && entry(r, method).ours() != null
                    && entry(r, method).ours().complete()).toList();
            if (measured.size() < 3) {
                continue;
            }
            double[] error = measured.stream().mapToDouble(r -> 100 - entry(r, method).ours().mean()).toArray();
            List<String> parts = new ArrayList<>();
            for (int q = 0; q < concentration.quantiles().size(); q++) {
                int at = q;
                double[] c = measured.stream().mapToDouble(r -> concentration(r)[at]).toArray();
                parts.add(String.format(Locale.ROOT, "delta %s: Spearman %s, Kendall %s",
                        ConcentrationMeasure.quantile(concentration.quantiles().get(q)),
                        RankTest.spearman(c, error).describe(),
                        RankTest.kendall(c, error).describe()));
            }
            lines.add(method + " over " + measured.size() + " settings: " + String.join("; ", parts));
        }
        return lines;
    }

    /** Per method with at least two rows beside published values, its agreement with the paper, undecided. */
    public List<Agreement> pendingAgreements() {
        return methods.stream().map(m -> Agreement.of(this, m)).filter(java.util.Objects::nonNull).toList();
    }

    public static PaperTable combinations(List<CellStats> cells, PaperResults paper, Dataset dataset, int release) {
        Set<String> rows = new LinkedHashSet<>(COMBINATION_ROWS);
        cells.stream().map(CellStats::augs).filter(a -> !a.equals("color") && !isPair(a))
                .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(a -> a)).forEach(rows::add);
        List<String> methods = methods(cells, paper, dataset, release, "augmentations");
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (String row : rows) {
            for (String method : methods) {
                entries.put(row + "|" + method, new Entry(find(cells, row, 1.0, method),
                        paper.find(dataset, release, row, 1.0, method).orElse(null)));
            }
        }
        return new PaperTable("combinations", "Augmentation combinations: (a) crop (b) blur (c) grayscale "
                + "(d) colour jitter (e) flip", "augs", List.copyOf(rows), methods, entries, null, List.of());
    }

    public static PaperTable colorStrength(List<CellStats> cells, PaperResults paper, Dataset dataset, int release) {
        Set<Double> strengths = new java.util.TreeSet<>(List.of(0.125, 0.25, 0.5, 1.0));
        cells.stream().filter(c -> c.augs().equals("color")).forEach(c -> strengths.add(c.strength()));
        List<String> methods = methods(cells, paper, dataset, release, "color_strength");
        List<String> rows = new ArrayList<>();
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (double s : strengths) {
            String row = Fractions.format(s);
            rows.add(row);
            for (String method : methods) {
                entries.put(row + "|" + method, new Entry(find(cells, "color", s, method),
                        paper.find(dataset, release, "color", s, method).orElse(null)));
            }
        }
        return new PaperTable("color_strength", "Colour-distortion strength (crop + colour jitter only)", "strength",
                rows, methods, entries, null, List.of());
    }

    /**
     * The final version's pairs of augmentations (SimCLR, 200 epochs), when the results hold pairs other than ab:
     * the paper shows them only as a plot, so there are no published values, only its order in the title.
     */
    public static Optional<PaperTable> pairs(List<CellStats> cells) {
        if (cells.stream().noneMatch(c -> isPair(c.augs()) && !c.augs().equals("ab"))) {
            return Optional.empty();
        }
        List<String> methods = METHOD_ORDER.stream()
                .filter(m -> cells.stream().anyMatch(c -> c.method().equals(m) && isPair(c.augs()))).toList();
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (String row : PAIR_ROWS) {
            for (String method : methods) {
                entries.put(row + "|" + method, new Entry(find(cells, row, 1.0, method), null));
            }
        }
        return Optional.of(new PaperTable("pairs", "Pairs of augmentations (paper, Figure 3: (a,d) best, then (a,c), "
                + "then (a,e) ~ (a,b))", "pair", PAIR_ROWS, methods, entries, null, List.of()));
    }

    /** Two different letters of abcde. */
    static boolean isPair(String augs) {
        return augs.length() == 2 && !augs.equals("color");
    }

    private static CellStats find(List<CellStats> cells, String augs, double strength, String method) {
        return cells.stream().filter(c -> c.augs().equals(augs) && c.method().equals(method)
                && (!augs.equals("color") || Math.abs(c.strength() - strength) < 1e-9)).findFirst().orElse(null);
    }

    private static List<String> methods(List<CellStats> cells, PaperResults paper, Dataset dataset, int release,
                                        String table) {
        Set<String> present = new LinkedHashSet<>();
        cells.forEach(c -> present.add(c.method()));
        paper.cells(dataset, release).stream().filter(c -> c.table().equals(table)).forEach(c -> present.add(c.method()));
        return METHOD_ORDER.stream().filter(present::contains).toList();
    }

    public static String meanStd(CellStats c) {
        if (c == null) {
            return "";
        }
        return String.format(Locale.ROOT, "%.2f ± %.2f", c.mean(), c.std()) + (c.n() == 3 ? "" : " (n=" + c.n() + ")")
                + (c.complete() ? "" : " (stopped @" + c.stoppedAt() + ")");
    }

    /** The cell's gain over its untrained control with its 95% interval, paired by seed ("" without controls). */
    public static String gainText(CellStats c) {
        return c == null || c.gain() == null ? "" : c.gain().interval();
    }

    public static String paperText(PaperResults.Cell p) {
        return p == null ? "" : String.format(Locale.ROOT, "%.2f ± %.2f", p.mean(), p.std());
    }

    public static String diffText(Double d) {
        return d == null ? "" : String.format(Locale.ROOT, "%+.2f", d);
    }
}
