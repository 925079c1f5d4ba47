package dev.augsweep.report;

import dev.augsweep.config.Fractions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One of the paper's two tables at one scale: rows (augmentation combinations, or colour strengths), one column
 * group per method, each cell our mean ± std beside the published value and the difference.
 */
public record PaperTable(String name, String title, String rowHeader, List<String> rows, List<String> methods,
                         Map<String, Entry> entries) {
    public static final List<String> METHOD_ORDER = List.of("simclr", "moco", "simsiam", "barlowtwins");
    public static final List<String> COMBINATION_ROWS = List.of("abcde", "abcd", "abc", "ab", "a");

    /** Ours (null: no runs, a blank cell) beside the paper's (null: not published). */
    public record Entry(CellStats ours, PaperResults.Cell paper) {
        public Double difference() {
            return ours == null || paper == null ? null : ours.mean() - paper.mean();
        }
    }

    public Entry entry(String row, String method) {
        return entries.getOrDefault(row + "|" + method, new Entry(null, null));
    }

    public static PaperTable combinations(List<CellStats> cells, PaperResults paper, int release) {
        Set<String> rows = new LinkedHashSet<>(COMBINATION_ROWS);
        cells.stream().map(CellStats::augs).filter(a -> !a.equals("color"))
                .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(a -> a)).forEach(rows::add);
        List<String> methods = methods(cells, paper, release, "augmentations");
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (String row : rows) {
            for (String method : methods) {
                CellStats ours = cells.stream().filter(c -> c.augs().equals(row) && c.method().equals(method))
                        .max(Comparator.comparingLong(CellStats::n)).orElse(null);
                entries.put(row + "|" + method, new Entry(ours, paper.find(release, row, 1.0, method).orElse(null)));
            }
        }
        return new PaperTable("combinations", "Augmentation combinations: (a) crop (b) blur (c) grayscale "
                + "(d) colour jitter (e) flip", "augs", List.copyOf(rows), methods, entries);
    }

    public static PaperTable colorStrength(List<CellStats> cells, PaperResults paper, int release) {
        Set<Double> strengths = new java.util.TreeSet<>(List.of(0.125, 0.25, 0.5, 1.0));
        cells.stream().filter(c -> c.augs().equals("color")).forEach(c -> strengths.add(c.strength()));
        List<String> methods = methods(cells, paper, release, "color_strength");
        List<String> rows = new ArrayList<>();
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (double s : strengths) {
            String row = Fractions.format(s);
            rows.add(row);
            for (String method : methods) {
                CellStats ours = cells.stream().filter(c -> c.augs().equals("color") && c.method().equals(method)
                        && Math.abs(c.strength() - s) < 1e-9).findFirst().orElse(null);
                entries.put(row + "|" + method, new Entry(ours, paper.find(release, "color", s, method).orElse(null)));
            }
        }
        return new PaperTable("color_strength", "Colour-distortion strength (crop + colour jitter only)", "strength",
                rows, methods, entries);
    }

    private static List<String> methods(List<CellStats> cells, PaperResults paper, int release, String table) {
        Set<String> present = new LinkedHashSet<>();
        cells.forEach(c -> present.add(c.method()));
        paper.cells(release).stream().filter(c -> c.table().equals(table)).forEach(c -> present.add(c.method()));
        return METHOD_ORDER.stream().filter(present::contains).toList();
    }

    public static String meanStd(CellStats c) {
        if (c == null) {
            return "";
        }
        return String.format(Locale.ROOT, "%.2f ± %.2f", c.mean(), c.std()) + (c.n() == 3 ? "" : " (n=" + c.n() + ")");
    }

    public static String paperText(PaperResults.Cell p) {
        return p == null ? "" : String.format(Locale.ROOT, "%.2f ± %.2f", p.mean(), p.std());
    }

    public static String diffText(Double d) {
        return d == null ? "" : String.format(Locale.ROOT, "%+.2f", d);
    }
}
