package dev.augsweep.report;

import com.typesafe.config.ConfigFactory;
import dev.augsweep.report.stats.Holm;
import dev.augsweep.report.stats.RankTest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What a search found, per sweep that sampled its settings: the best configurations (cells whose seeds all trained
 * to the end: mean kNN top-1 of their best epochs with its 95% t interval over seeds), each sampled setting's effect
 * (its importance, by a random forest's mean decrease in impurity, which sees effects that are not monotone and
 * settings that are words; and Spearman's rank correlation between a number and the cells' mean kNN top-1, with a
 * two-sided permutation p, Holm-corrected over the settings), and, under a schedule, how many trials each rung kept.
 * Effects are measured at the highest epoch enough cells reached ({@link #ENOUGH_CELLS}), over the cells that reached
 * it, a failed cell counting as the worst score.
 */
public record SearchReport(String sweep, int trials, int cells, int effectEpoch, Map<String, String> space,
                           List<Best> best, List<Effect> effects, Map<Integer, Integer> trialsReaching,
                           List<CellPoint> points) {
    /** Permutations for the effects' p (the smallest p it can show is 1 / (PERMUTATIONS + 1)). */
    public static final int PERMUTATIONS = 9_999;
    private static final int SHOWN = 5;
    /** Up to this many cells an effect's p is by permutation; beyond, by the t approximation. */
    public static final int PERMUTED_CELLS = 500;

    public record Best(String cellId, Map<String, String> settings, double mean, double low, double high, int seeds) {
    }

    /**
     * @param importance the setting's share of the cells' score variation a random forest attributes to it (mean
     *                   decrease in impurity, {@link SettingImportance}); sees effects that are not monotone and
     *                   settings that are words
     * @param points     the cells' (setting, mean kNN at the effect epoch) pairs, for the plot (numbers only)
     */
    public record Effect(String setting, String distribution, double rho, double p, double pHolm, double importance,
                         int cells, List<double[]> points) {
        public boolean logScale() {
            return distribution.startsWith("loguniform");
        }

        /** "higher is better" or "lower is better" where the corrected p < 0.05, else "unresolved". */
        public String verdict() {
            return Double.isNaN(pHolm) || pHolm >= 0.05 ? "unresolved" : rho > 0 ? "higher is better"
                    : "lower is better";
        }
    }

    /**
     * A sampled cell as the search's figures see it: its trials, how many finished, the furthest epoch one reached,
     * its score (mean kNN top-1 of its trials' best epochs, failed trials aside; NaN without one), its kNN top-1 at
     * the effect epoch (the effects' y; NaN where none was measured) and its sampled point.
     */
    public record CellPoint(String cellId, Integer sample, int trials, int finished, int epochsReached, double score,
                            double effectScore, Map<String, Double> values, Map<String, String> choices) {
    }

    /** Whether the trials view holds searches only (no grid trials whose paper tables could be shown). */
    public static boolean searchOnly(SparkSession spark) {
        return recordsSearches(spark)
                && spark.sql("SELECT 1 FROM trials WHERE search_space IS NULL LIMIT 1").isEmpty()
                && !spark.sql("SELECT 1 FROM trials LIMIT 1").isEmpty();
    }

    /** Results written before searches existed (or exported without them) have no search_space column. */
    private static boolean recordsSearches(SparkSession spark) {
        return java.util.Arrays.asList(spark.table("trials").columns()).contains("search_space");
    }

    /** One report per sweep of {@code trials} (the trials view) that has a search. */
    public static List<SearchReport> build(SparkSession spark) {
        List<SearchReport> reports = new ArrayList<>();
        if (!recordsSearches(spark)) {
            return reports;
        }
        for (Row r : spark.sql("SELECT DISTINCT sweep FROM trials WHERE search_space IS NOT NULL ORDER BY sweep")
                .collectAsList()) {
            reports.add(of(spark, r.getString(0)));
        }
        return reports;
    }

    private static SearchReport of(SparkSession spark, String sweep) {
        String where = "sweep = '" + sweep.replace("'", "''") + "' AND search_space IS NOT NULL";
        List<Row> trials = spark.sql("SELECT trial_id, cell_id, status, epochs, epochs_done, knn_top1_best, sampled, "
                + "sampled_choices, search_space, sample FROM trials WHERE " + where).collectAsList();
        int effectEpoch = effectEpoch(trials);
        Map<String, Double> knnAt = new HashMap<>();
        for (Row e : spark.sql("SELECT e.trial_id, e.epoch, e.knn_top1 FROM epochs e LEFT SEMI JOIN (SELECT trial_id "
                + "FROM trials WHERE " + where + ") t ON e.trial_id = t.trial_id WHERE e.knn_top1 IS NOT NULL AND "
                + "e.epoch BETWEEN 1 AND " + effectEpoch + " ORDER BY e.epoch").collectAsList()) {
            knnAt.put(e.getString(0), e.getDouble(2)); // the latest evaluated epoch up to the effect epoch
        }
        Map<String, String> space = parseSpace(trials.get(0).getString(8));
        Map<String, List<Row>> byCell = new LinkedHashMap<>();
        trials.forEach(t -> byCell.computeIfAbsent(t.getString(1), c -> new ArrayList<>()).add(t));
        List<Best> best = new ArrayList<>();
        Map<String, double[]> cellEffect = new LinkedHashMap<>(); // cell -> mean kNN at the effect epoch
        Map<String, Map<String, Double>> values = new HashMap<>();
        Map<String, Map<String, String>> words = new HashMap<>();
        List<String> failedCells = new ArrayList<>();
        List<CellPoint> cellPoints = new ArrayList<>();
        for (var cell : byCell.entrySet()) {
            List<Row> rows = cell.getValue();
            values.put(cell.getKey(), numbers(rows.get(0)));
            words.put(cell.getKey(), words(rows.get(0)));
            double[] atEpoch = rows.stream().filter(t -> knnAt.containsKey(t.getString(0)))
                    .mapToDouble(t -> knnAt.get(t.getString(0))).toArray();
            boolean reached = rows.stream().allMatch(t -> !t.isNullAt(4) && t.getInt(4) >= effectEpoch);
            if (rows.stream().anyMatch(t -> "failed".equals(t.getString(2)))) {
                failedCells.add(cell.getKey()); // a divergence says something about its settings: the worst score
            } else if (reached && atEpoch.length > 0) {
                cellEffect.put(cell.getKey(), new double[] {mean(atEpoch)});
            }
            double[] scores = rows.stream().filter(t -> !"failed".equals(t.getString(2)) && !t.isNullAt(5))
                    .mapToDouble(t -> t.getDouble(5)).toArray();
            cellPoints.add(new CellPoint(cell.getKey(), rows.get(0).isNullAt(9) ? null : rows.get(0).getInt(9), rows.size(),
                    (int) rows.stream().filter(t -> "finished".equals(t.getString(2))).count(),
                    rows.stream().filter(t -> !t.isNullAt(4)).mapToInt(t -> t.getInt(4)).max().orElse(0),
                    scores.length == 0 ? Double.NaN : mean(scores),
                    atEpoch.length == 0 ? Double.NaN : mean(atEpoch), new TreeMap<>(values.get(cell.getKey())),
                    new TreeMap<>(words.get(cell.getKey()))));
            if (rows.stream().allMatch(t -> "finished".equals(t.getString(2)))) {
                double[] knn = rows.stream().mapToDouble(t -> t.getDouble(5)).toArray();
                double half = knn.length < 2 ? Double.NaN : new TDistribution(knn.length - 1)
                        .inverseCumulativeProbability(0.975) * sd(knn) / Math.sqrt(knn.length);
                best.add(new Best(cell.getKey(), settings(rows.get(0)), mean(knn), mean(knn) - half,
                        mean(knn) + half, knn.length));
            }
        }
        best.sort(Comparator.comparingDouble((Best b) -> -b.mean()));
        // Below every trained cell (the effects are rank correlations, so how far below does not matter).
        double worst = cellEffect.values().stream().mapToDouble(m -> m[0]).min().orElse(0) - 1;
        failedCells.forEach(cell -> cellEffect.put(cell, new double[] {worst}));
        Map<String, Double> importance = importance(space, cellEffect, values, words);
        List<Effect> effects = new ArrayList<>();
        for (var setting : space.entrySet()) {
            List<double[]> points = new ArrayList<>();
            cellEffect.forEach((cell, m) -> {
                Double v = values.get(cell).get(setting.getKey());
                if (v != null) {
                    points.add(new double[] {v, m[0]});
                }
            });
            boolean numbers = !points.isEmpty();
            double[] rp = numbers ? spearman(points, setting.getKey().hashCode()) : new double[] {Double.NaN, Double.NaN};
            effects.add(new Effect(setting.getKey(), setting.getValue(), rp[0], rp[1], Double.NaN,
                    importance.getOrDefault(setting.getKey(), Double.NaN), numbers ? points.size()
                    : (int) cellEffect.keySet().stream().filter(c -> words.get(c).containsKey(setting.getKey())).count(),
                    points));
        }
        double[] holm = Holm.adjust(effects.stream().mapToDouble(Effect::p).map(p -> Double.isNaN(p) ? 1 : p).toArray());
        List<Effect> corrected = new ArrayList<>();
        for (int i = 0; i < effects.size(); i++) {
            Effect e = effects.get(i);
            corrected.add(new Effect(e.setting(), e.distribution(), e.rho(), e.p(), Double.isNaN(e.p()) ? Double.NaN
                    : holm[i], e.importance(), e.cells(), e.points()));
        }
        Map<Integer, Integer> reaching = new TreeMap<>();
        // A failed trial has no epochs_done: it reached no rung of its own.
        List<Integer> epochsReached = trials.stream().filter(t -> !t.isNullAt(4)).map(x -> x.getInt(4)).distinct()
                .toList();
        trials.stream().filter(t -> !"failed".equals(t.getString(2)) && !t.isNullAt(4)).forEach(t -> {
            for (int e : epochsReached) {
                if (t.getInt(4) >= e) {
                    reaching.merge(e, 1, Integer::sum);
                }
            }
        });
        return new SearchReport(sweep, trials.size(), byCell.size(), effectEpoch, space,
                best.subList(0, Math.min(SHOWN, best.size())), corrected, reaching, cellPoints);
    }

    /** Cells an effect epoch needs: effects are measured at the highest epoch this many cells reached. */
    static final int ENOUGH_CELLS = 10;

    /**
     * The highest epoch that at least {@link #ENOUGH_CELLS} cells (all, where there are fewer) trained every seed
     * to: a search's later rungs say more than its first, once enough cells reach them.
     */
    private static int effectEpoch(List<Row> trials) {
        Map<String, Integer> reachedByCell = new HashMap<>();
        for (Row t : trials) {
            if (!"failed".equals(t.getString(2)) && !t.isNullAt(4)) {
                reachedByCell.merge(t.getString(1), t.getInt(4), Math::min);
            }
        }
        int enough = Math.min(ENOUGH_CELLS, reachedByCell.size());
        List<Integer> reached = reachedByCell.values().stream().sorted(Comparator.reverseOrder()).toList();
        return enough == 0 ? 0 : reached.get(enough - 1);
    }

    /** Each setting's importance over the cells scored at the effect epoch (failed ones as the worst). */
    private static Map<String, Double> importance(Map<String, String> space, Map<String, double[]> cellEffect,
                                                  Map<String, Map<String, Double>> values,
                                                  Map<String, Map<String, String>> words) {
        List<SettingImportance.Point> points = new ArrayList<>();
        cellEffect.forEach((cell, m) -> {
            Map<String, Object> settings = new HashMap<>(values.get(cell));
            settings.putAll(words.get(cell));
            points.add(new SettingImportance.Point(settings, m[0]));
        });
        Map<String, Boolean> log = new HashMap<>();
        space.forEach((k, d) -> log.put(k, d.startsWith("loguniform")));
        return SettingImportance.of(points, log, 7).importance();
    }

    /** Markdown: the best configurations, the effects, the rungs. */
    public String render() {
        return render(TableFormat.md);
    }

    /** The report in {@code format}: HTML (every text escaped) for html, else Markdown with aligned text tables. */
    public String render(TableFormat format) {
        boolean html = format == TableFormat.html;
        StringBuilder sb = new StringBuilder();
        String title = String.format(Locale.ROOT, "Search: %s (%d trials, %d sampled cells)", sweep, trials, cells);
        sb.append(html ? "<h2>" + TableFormat.escape(title) + "</h2>\n<ul>\n" : "\n## " + title + "\n\n");
        space.forEach((k, d) -> sb.append(html ? "<li><code>" + TableFormat.escape(k) + "</code> ~ "
                + TableFormat.escape(d) + "</li>\n" : "- `" + k + "` ~ " + d + "\n"));
        String bestNote = "Best configurations (cells trained to the end; kNN top-1 of each seed's best epoch, mean and "
                + "95% t interval over seeds):";
        sb.append(html ? "</ul>\n<p>" + TableFormat.escape(bestNote) + "</p>\n" : "\n" + bestNote + "\n\n");
        List<List<String>> rows = new ArrayList<>();
        for (Best b : best) {
            rows.add(List.of(String.join(", ", b.settings().entrySet().stream()
                    .map(e -> e.getKey() + " = " + e.getValue()).toList()),
                    String.format(Locale.ROOT, "%.2f", b.mean()),
                    Double.isNaN(b.low()) ? "n/a (one seed)" : String.format(Locale.ROOT, "[%.2f, %.2f]", b.low(), b.high()),
                    String.valueOf(b.seeds())));
        }
        List<String> bestHeader = List.of("settings", "kNN top-1", "95% CI", "seeds");
        sb.append(html ? TableFormat.htmlTable(bestHeader, rows, c -> c > 0, -1) : AsciiTable.render(bestHeader, rows));
        String effectNote = String.format(Locale.ROOT, "Each setting's effect on kNN top-1 at epoch %d (the highest "
                + "that %d cells reached; a failed cell counts as the worst): importance, the share of the cells' "
                + "variation a random forest attributes to it (mean decrease in impurity, as Optuna's evaluator; sees "
                + "effects that are not monotone, and words); and, for numbers, Spearman's rho over the cells' means "
                + "with a two-sided permutation p (%,d permutations), Holm over the %d settings:", effectEpoch,
                Math.min(ENOUGH_CELLS, cells), PERMUTATIONS, effects.size());
        sb.append(html ? "<p>" + TableFormat.escape(effectNote) + "</p>\n" : "\n" + effectNote + "\n\n");
        List<List<String>> eff = new ArrayList<>();
        for (Effect e : effects) {
            eff.add(List.of(e.setting(), e.distribution(), Double.isNaN(e.importance()) ? "n/a"
                    : String.format(Locale.ROOT, "%.2f", e.importance()),
                    Double.isNaN(e.rho()) ? "n/a" : String.format(Locale.ROOT, "%+.2f", e.rho()),
                    Double.isNaN(e.p()) ? "n/a" : RankTest.pText(e.p()), Double.isNaN(e.pHolm()) ? "n/a" : RankTest.pText(e.pHolm()),
                    String.valueOf(e.cells()), e.verdict()));
        }
        List<String> effectHeader = List.of("setting", "distribution", "importance", "rho", "p", "p (Holm)", "cells",
                "monotone verdict");
        sb.append(html ? TableFormat.htmlTable(effectHeader, eff, c -> c >= 2 && c <= 6, 7)
                : AsciiTable.render(effectHeader, eff));
        if (trialsReaching.size() > 1) {
            String rungs = "Trials reaching each epoch (the schedule's rungs and the end): " + String.join(", ",
                    trialsReaching.entrySet().stream().map(e -> "epoch " + e.getKey() + ": " + e.getValue()).toList());
            sb.append(html ? "<p>" + TableFormat.escape(rungs) + "</p>\n" : "\n" + rungs + "\n");
        }
        return sb.toString();
    }

    /**
     * rho and its two-sided p: by permutation (seeded: the same results give the same p) up to
     * {@link #PERMUTED_CELLS} cells; beyond, where permuting costs minutes, by the t approximation
     * t = rho sqrt((n - 2) / (1 - rho^2)) on n - 2 degrees of freedom, which is close at such n.
     */
    static double[] spearman(List<double[]> unordered, long seed) {
        // In a fixed order: Spark returns rows in any order, and the permutations must not depend on it.
        List<double[]> points = unordered.stream().sorted(Comparator.comparingDouble((double[] p) -> p[0])
                .thenComparingDouble(p -> p[1])).toList();
        double[] x = points.stream().mapToDouble(p -> p[0]).toArray();
        double[] y = points.stream().mapToDouble(p -> p[1]).toArray();
        if (x.length < 3 || constant(x) || constant(y)) {
            return new double[] {Double.NaN, Double.NaN};
        }
        SpearmansCorrelation s = new SpearmansCorrelation();
        double observed = s.correlation(x, y);
        if (x.length > PERMUTED_CELLS) {
            int df = x.length - 2;
            double t = Math.abs(observed) >= 1 ? Double.POSITIVE_INFINITY
                    : Math.abs(observed) * Math.sqrt(df / (1 - observed * observed));
            return new double[] {observed, 2 * (1 - new TDistribution(df).cumulativeProbability(t))};
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] shuffled = y.clone();
        int atLeast = 0;
        for (int i = 0; i < PERMUTATIONS; i++) {
            for (int j = shuffled.length - 1; j > 0; j--) {
                int k = random.nextInt(j + 1);
                double t = shuffled[j];
                shuffled[j] = shuffled[k];
                shuffled[k] = t;
            }
            atLeast += Math.abs(s.correlation(x, shuffled)) >= Math.abs(observed) - 1e-12 ? 1 : 0;
        }
        return new double[] {observed, (atLeast + 1.0) / (PERMUTATIONS + 1)};
    }

    private static boolean constant(double[] v) {
        for (double d : v) {
            if (d != v[0]) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Double> numbers(Row t) {
        Map<String, Double> m = new HashMap<>();
        scala.collection.Map<String, Double> sampled = t.getMap(6);
        if (sampled != null) {
            sampled.foreach(e -> m.put(e._1(), ((Number) e._2()).doubleValue()));
        }
        return m;
    }

    private static Map<String, String> words(Row t) {
        Map<String, String> m = new HashMap<>();
        scala.collection.Map<String, String> w = t.getMap(7);
        if (w != null) {
            w.foreach(e -> m.put(e._1(), e._2()));
        }
        return m;
    }

    private static Map<String, String> settings(Row t) {
        Map<String, String> m = new TreeMap<>();
        numbers(t).forEach((k, v) -> m.put(k, String.format(Locale.ROOT, "%.4g", v)));
        scala.collection.Map<String, String> words = t.getMap(7);
        if (words != null) {
            words.foreach(e -> m.put(e._1(), e._2()));
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> parseSpace(String json) {
        Map<String, String> m = new TreeMap<>();
        ConfigFactory.parseString(json).root().unwrapped().forEach((k, v) -> m.put(k, String.valueOf(v)));
        return m;
    }

    private static double mean(double[] v) {
        return StatUtils.mean(v);
    }

    private static double sd(double[] v) {
        return Math.sqrt(StatUtils.variance(v)); // the sample variance: the t interval's
    }
}
