package dev.augsweep.report;

import dev.augsweep.config.InvalidConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The paper's tables for a results store: one report per dataset (or the one scale asked for). */
public final class TablesReport {
    /** Show every dataset's scale with the most trials. */
    public static final int MAIN_SCALES = -1;

    /**
     * One scale's tables: the combinations, the colour strengths, and the pairs when there are pair trials; and per
     * method its untrained control (null where no trial recorded one).
     */
    public record Report(Scale scale, List<Scale> allScales, int paperRelease, List<PaperTable> tables,
                         Map<String, Control> controls) {
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
                    + "best epoch (n = seeds when not 3); gain: over the untrained control, paired by seed, with its "
                    + "95% interval. Ours at " + scale.describe() + "; paper: 800 epochs, "
                    + "width 1, the whole dataset, batch 512, release " + paperRelease + ". Terms (cell, control, "
                    + "gain, step, Holm): docs/glossary.md.");
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

    /**
     * What a reader asks of the tables (the options of {@code tables}, {@code plots} and {@code export}, and the
     * dashboard's defaults): the one way results become the tables' text, so every reader shows the same figures.
     *
     * @param scale          {@link #MAIN_SCALES}, or the N-th listed scale alone (--scale)
     * @param paper          the published values' release, 0 for the trials' own (--paper)
     * @param allMethods     also the paper's columns of methods without cells of ours (--all-methods)
     * @param includeStopped also cells a halving schedule stopped (--include-stopped)
     */
    public record Request(int scale, int paper, boolean allMethods, boolean includeStopped) {
        /** Every dataset's main scale, the trials' release, the methods that have cells, complete cells only. */
        public static final Request DEFAULTS = new Request(MAIN_SCALES, 0, false, false);

        /** The paper's tables of these results, their steps decided. */
        public List<Report> build(ResultsViews views) {
            if (paper != 0 && paper != 2021 && paper != 2022) {
                throw new InvalidConfigException("--paper", List.of("--paper must be 2021 or 2022, got " + paper));
            }
            return TablesReport.build(views.trials(), views.has("concentration") ? views.spark().table("concentration")
                    : null, scale, paper, includeStopped);
        }

        /**
         * The tables as text: the paper's tables (unless the results hold searches alone, which have none) and each
         * search's report.
         */
        public String text(ResultsViews views, TableFormat format) {
            return text(views, format, SearchReport.build(views.spark()));
        }

        /** The same, with the searches' reports already built ({@link SearchReport#build}) from these views. */
        public String text(ResultsViews views, TableFormat format, List<SearchReport> searches) {
            String tables = SearchReport.searchOnly(views.spark()) ? "" : render(build(views), format, allMethods);
            return tables + String.join("", searches.stream().map(s -> s.render(format)).toList());
        }
    }

    private TablesReport() {
    }

    /** Every report's tables in one format (CSV: one header for all), with the methods that have cells in them. */
    public static String render(List<Report> reports, TableFormat format) {
        return render(reports, format, false);
    }

    /** @param allMethods also the paper's columns of methods without cells of ours (md and html; CSV has them all) */
    public static String render(List<Report> reports, TableFormat format, boolean allMethods) {
        StringBuilder text = new StringBuilder(format == TableFormat.csv ? TableFormat.csvHeader() : "");
        for (Report r : reports) {
            for (PaperTable t : r.tables()) {
                text.append(format.render(r, t, allMethods));
            }
        }
        return text.append(format.renderVariants(VariantComparison.of(reports))).toString();
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
            // Per dataset its main scale, with every variant of it (cells told apart by a setting beyond the rows).
            scales.stream().filter(s -> shown.stream().noneMatch(o -> o.dataset() == s.dataset())
                    || shown.stream().anyMatch(o -> o.withVariant("").equals(s.withVariant("")))).forEach(shown::add);
        } else {
            shown.add(scales.get(scaleIndex));
        }
        PaperResults paper = PaperResults.load();
        Map<Scale, ConcentrationMeasure> measures = new LinkedHashMap<>();
        shown.forEach(scale -> measures.put(scale, ConcentrationMeasure.of(concentration, scale.dataset())));
        List<Report> reports = decided(reports(byScale, scales, measures, paper, paperRelease));
        // Leave one seed out: the whole report again without each seed in turn, its verdicts beside the step's own.
        java.util.SortedSet<Integer> seeds = new java.util.TreeSet<>();
        shown.forEach(scale -> byScale.get(scale).forEach(c -> seeds.addAll(c.bySeed().keySet())));
        Map<Integer, Map<String, Agreement.Verdict>> without = new LinkedHashMap<>();
        for (int seed : seeds) {
            Map<Scale, List<CellStats>> less = new LinkedHashMap<>();
            byScale.forEach((scale, cells) -> less.put(scale, cells.stream().map(c -> c.withoutSeed(seed))
                    .filter(c -> c.n() > 0).toList()));
            Map<String, Agreement.Verdict> verdicts = new java.util.HashMap<>();
            steps(decided(reports(less, scales, measures, paper, paperRelease))).forEach(r -> verdicts.put(r.key(),
                    r.step().verdict()));
            without.put(seed, verdicts);
        }
        return withFragility(reports, without);
    }

    /** Each shown scale's tables from its cells, steps pending. */
    private static List<Report> reports(Map<Scale, List<CellStats>> byScale, List<Scale> scales,
                                        Map<Scale, ConcentrationMeasure> measures, PaperResults paper,
                                        int paperRelease) {
        List<Report> reports = new ArrayList<>();
        measures.forEach((scale, measure) -> {
            int release = paperRelease > 0 ? paperRelease : scale.release();
            List<CellStats> cells = byScale.get(scale);
            List<PaperTable> tables = new ArrayList<>(List.of(
                    PaperTable.combinations(cells, paper, scale.dataset(), release),
                    PaperTable.colorStrength(cells, paper, scale.dataset(), release)));
            PaperTable.pairs(cells).ifPresent(tables::add);
            Map<String, Control> controls = new LinkedHashMap<>();
            cells.stream().map(CellStats::method).distinct().forEach(m -> controls.put(m, Control.of(m, cells)));
            reports.add(new Report(scale, scales, release, tables.stream().map(t -> t.withConcentration(measure))
                    .toList(), controls));
        });
        return reports;
    }

    /** The verdicts a step can have either way; a change into or out of "too few seeds" says nothing of fragility. */
    private static final java.util.Set<Agreement.Verdict> DECIDED = java.util.EnumSet.of(Agreement.Verdict.REPRODUCED,
            Agreement.Verdict.REVERSED, Agreement.Verdict.UNRESOLVED, Agreement.Verdict.PAPER_WITHIN_NOISE);

    /** Each decided step with the verdicts it gets without one seed, where they differ from its own. */
    private static List<Report> withFragility(List<Report> reports, Map<Integer, Map<String, Agreement.Verdict>> without) {
        List<Report> out = new ArrayList<>();
        for (Report r : reports) {
            List<PaperTable> tables = new ArrayList<>();
            for (PaperTable t : r.tables()) {
                tables.add(t.withAgreements(t.agreements().stream().map(a -> a.withSteps(a.steps().stream().map(s -> {
                    Map<Integer, Agreement.Verdict> changed = new LinkedHashMap<>();
                    String key = new StepRow(r.scale(), t.name(), a.method(), s).key();
                    without.forEach((seed, verdicts) -> {
                        Agreement.Verdict v = verdicts.get(key);
                        if (DECIDED.contains(s.verdict()) && DECIDED.contains(v) && v != s.verdict()) {
                            changed.put(seed, v);
                        }
                    });
                    return changed.isEmpty() ? s : s.withContext(s.context().withoutSeed(changed));
                }).toList())).toList()));
            }
            out.add(new Report(r.scale(), r.allScales(), r.paperRelease(), tables, r.controls()));
        }
        return out;
    }

    /** Every step of the reports decided at once: one family for the correction. */
    static List<Report> decided(List<Report> reports) {
        List<Agreement> pending = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        List<Boolean> learned = new ArrayList<>();
        List<String> tableOf = new ArrayList<>();
        for (Report r : reports) {
            for (PaperTable t : r.tables()) {
                List<Agreement> ofTable = t.pendingAgreements();
                counts.add(ofTable.size());
                for (Agreement a : ofTable) {
                    pending.add(a);
                    Control c = r.controls().get(a.method());
                    learned.add(c == null ? null : c.learned());
                    tableOf.add(r.scale().describe() + "|" + t.name());
                }
            }
        }
        List<Agreement> decided = StepVerdicts.decide(pending, learned, tableOf);
        List<Report> out = new ArrayList<>();
        int next = 0;
        int table = 0;
        for (Report r : reports) {
            List<PaperTable> tables = new ArrayList<>();
            for (PaperTable t : r.tables()) {
                int count = counts.get(table++);
                tables.add(t.withAgreements(decided.subList(next, next + count)));
                next += count;
            }
            out.add(new Report(r.scale(), r.allScales(), r.paperRelease(), tables, r.controls()));
        }
        return out;
    }

    /** Every decided step of the reports, for the {@code steps} view and CSV. */
    public static List<StepRow> steps(List<Report> reports) {
        List<StepRow> rows = new ArrayList<>();
        for (Report r : reports) {
            for (PaperTable t : r.tables()) {
                for (Agreement a : t.agreements()) {
                    a.steps().forEach(s -> rows.add(new StepRow(r.scale(), t.name(), a.method(), s)));
                }
            }
        }
        return rows;
    }

    /** A step with where it belongs. */
    public record StepRow(Scale scale, String table, String method, Agreement.Step step) {
        /** The step's place, the same in a report rebuilt from fewer seeds. */
        String key() {
            return String.join("|", scale.toString(), table, method, step.first(), step.second());
        }
    }
}
