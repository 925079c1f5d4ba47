package dev.augsweep.report;

import dev.augsweep.config.InvalidConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The paper's tables for a results store: one report per dataset (or the one scale asked for). */
public final class TablesReport {
    /** Show every dataset's scale with the most trials. */
    public static final int MAIN_SCALES = -1;

    /** One scale's tables: the combinations, the colour strengths, and the pairs when there are pair trials. */
    public record Report(Scale scale, List<Scale> allScales, int paperRelease, List<PaperTable> tables) {
        public PaperTable table(String name) {
            return tables.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
        }

        public PaperTable combinations() {
            return table("combinations");
        }

        public PaperTable colorStrength() {
            return table("color_strength");
        }

        public String scaleNote() {
            StringBuilder sb = new StringBuilder("kNN top-1 (%), mean ± population std over seeds of each trial's "
                    + "best epoch (n = seeds when not 3). Ours at " + scale.describe() + "; paper: 800 epochs, "
                    + "width 1, the whole dataset, batch 512, release " + paperRelease + ".");
            if (allScales.size() > 1) {
                sb.append(" Scales in these results (--scale N):");
                for (int i = 0; i < allScales.size(); i++) {
                    sb.append(" [").append(i).append("] ").append(allScales.get(i).describe())
                            .append(allScales.get(i).equals(scale) ? " (shown)" : "").append(';');
                }
            }
            return sb.toString();
        }
    }

    private TablesReport() {
    }

    /** Every report's tables in one format (CSV: one header for all). */
    public static String render(List<Report> reports, TableFormat format) {
        StringBuilder text = new StringBuilder(format == TableFormat.csv ? TableFormat.csvHeader() : "");
        for (Report r : reports) {
            for (PaperTable t : r.tables()) {
                text.append(format.render(r.scale(), t, format == TableFormat.csv ? "" : r.scaleNote()));
            }
        }
        return text.toString();
    }

    /**
     * @param scaleIndex {@link #MAIN_SCALES} for each dataset's scale with the most finished trials, N for the
     *                   N-th listed scale alone
     * @param paperRelease 0 for the release the shown trials used
     */
    public static List<Report> build(Dataset<Row> trials, int scaleIndex, int paperRelease) {
        return build(trials, null, scaleIndex, paperRelease, false);
    }

    /**
     * @param concentration  the concentration view, or null: its 1 - sigma goes beside each measured row
     * @param includeStopped also cells a halving schedule stopped, marked with their rung
     */
    public static List<Report> build(Dataset<Row> trials, Dataset<Row> concentration, int scaleIndex, int paperRelease,
                                     boolean includeStopped) {
        Map<Scale, List<CellStats>> byScale = TrialStats.cells(trials, includeStopped);
        if (byScale.isEmpty()) {
            throw new InvalidConfigException("--results", List.of("no finished trials in these results yet"));
        }
        List<Scale> scales = new ArrayList<>(byScale.keySet());
        if (scaleIndex < MAIN_SCALES || scaleIndex > scales.size() - 1) {
            throw new InvalidConfigException("--scale", List.of("--scale " + scaleIndex + " does not exist; these "
                    + "results have " + scales.size() + " scale(s), so use 0 to " + (scales.size() - 1)));
        }
        List<Scale> shown = new ArrayList<>();
        if (scaleIndex == MAIN_SCALES) {
            scales.stream().filter(s -> shown.stream().noneMatch(o -> o.dataset() == s.dataset())).forEach(shown::add);
        } else {
            shown.add(scales.get(scaleIndex));
        }
        PaperResults paper = PaperResults.load();
        List<Report> reports = new ArrayList<>();
        for (Scale scale : shown) {
            int release = paperRelease > 0 ? paperRelease : scale.release();
            List<CellStats> cells = byScale.get(scale);
            List<PaperTable> tables = new ArrayList<>(List.of(
                    PaperTable.combinations(cells, paper, scale.dataset(), release),
                    PaperTable.colorStrength(cells, paper, scale.dataset(), release)));
            PaperTable.pairs(cells).ifPresent(tables::add);
            ConcentrationMeasure measure = ConcentrationMeasure.of(concentration, scale.dataset());
            reports.add(new Report(scale, scales, release, tables.stream().map(t -> t.withConcentration(measure))
                    .toList()));
        }
        return reports;
    }
}
