package dev.augsweep.report;

import dev.augsweep.config.InvalidConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The paper's two tables for one scale of a results store, with the other scales listed. */
public final class TablesReport {
    /** A rendered report: the scale shown, the others, and both tables. */
    public record Report(Scale scale, List<Scale> allScales, int paperRelease, PaperTable combinations,
                         PaperTable colorStrength) {
        public String scaleNote() {
            StringBuilder sb = new StringBuilder("kNN top-1 (%), mean ± population std over seeds of each trial's "
                    + "best epoch (n = seeds when not 3). Ours at " + scale.describe() + "; paper: 800 epochs, "
                    + "width 1, all of CIFAR-10, batch 512, release " + paperRelease + ".");
            if (allScales.size() > 1) {
                sb.append(" Other scales in these results (--scale N):");
                for (int i = 0; i < allScales.size(); i++) {
                    if (!allScales.get(i).equals(scale)) {
                        sb.append(" [").append(i).append("] ").append(allScales.get(i).describe()).append(';');
                    }
                }
            }
            return sb.toString();
        }
    }

    private TablesReport() {
    }

    /**
     * @param scaleIndex 0 for the scale with the most finished trials, N for the N-th listed
     * @param paperRelease 0 for the release the shown trials used
     */
    public static Report build(Dataset<Row> trials, int scaleIndex, int paperRelease) {
        Map<Scale, List<CellStats>> byScale = TrialStats.cells(trials);
        if (byScale.isEmpty()) {
            throw new InvalidConfigException("--results", List.of("no finished trials in these results yet"));
        }
        List<Scale> scales = new ArrayList<>(byScale.keySet());
        if (scaleIndex < 0 || scaleIndex > scales.size() - 1) {
            throw new InvalidConfigException("--scale", List.of("--scale " + scaleIndex + " does not exist; these "
                    + "results have " + scales.size() + " scale(s), so use 0 to " + (scales.size() - 1)));
        }
        Scale shown = scales.get(scaleIndex);
        int release = paperRelease > 0 ? paperRelease : shown.release();
        PaperResults paper = PaperResults.load();
        List<CellStats> cells = byScale.get(shown);
        return new Report(shown, scales, release, PaperTable.combinations(cells, paper, release),
                PaperTable.colorStrength(cells, paper, release));
    }
}
