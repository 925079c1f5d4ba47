package dev.augsweep.concentration;

import dev.augsweep.driver.Workload;
import dev.augsweep.report.AsciiTable;
import dev.augsweep.results.BatchCommitter;
import dev.augsweep.results.ConcentrationTable;
import dev.augsweep.results.DeltaTables;
import dev.augsweep.train.ConsoleProgress;
import java.io.PrintStream;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Row;

/**
 * The measure as a sweep workload, on the sweep's own driver, results directory and lock: first every setting's
 * class distances (Spark tasks, kept on disk so a rerun skips them), then, with the deltas taken from all of them
 * pooled, every class's maximum cliques (Spark tasks); each setting's rows go to the {@code concentration} Delta
 * table once all its classes are in, exactly once per recipe and setting.
 */
final class ConcentrationWorkload implements Workload<ConcentrationUnit, ConcentrationOutcome> {
    /** One setting's rows, recorded together. */
    record SettingRows(String key, List<Map<String, Object>> rows) {
    }

    private final String sweep;
    private final List<Setting> settings;
    private final ConcentrationRecipe recipe;
    private final String recipeKey;
    private final ConcentrationTask task;
    private final DeltaTables tables;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private final List<float[]> pooled = new ArrayList<>();
    private final Map<String, ConcentrationOutcome[]> cliques = new LinkedHashMap<>();
    private final Map<String, Double> seconds = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private Set<String> recorded;
    private BatchCommitter<SettingRows> committer;
    private double[] deltas;
    private int distanceUnits;
    private int distancesDone;
    private int cliqueUnits;
    private int cliquesDone;

    ConcentrationWorkload(String sweep, List<Setting> settings, ConcentrationRecipe recipe, ConcentrationTask task,
                          DeltaTables tables, PrintStream out) {
        this.sweep = sweep;
        this.settings = settings;
        this.recipe = recipe;
        this.recipeKey = recipe.key(settings.stream().map(Setting::id).toList());
        this.task = task;
        this.tables = tables;
        this.out = out;
    }

    String recipeKey() {
        return recipeKey;
    }

    @Override
    public List<ConcentrationUnit> start() {
        tables.create(ConcentrationTable.TABLE, ConcentrationTable.SCHEMA);
        recorded = new HashSet<>();
        for (Row r : tables.read(ConcentrationTable.TABLE).select("recipe", "setting").distinct().collectAsList()) {
            recorded.add(r.getString(0) + "|" + r.getString(1));
        }
        committer = new BatchCommitter<>(SettingRows::key, batch -> tables.insertAbsent(ConcentrationTable.TABLE,
                ConcentrationTable.SCHEMA, ConcentrationTable.KEYS, batch.stream().flatMap(s -> s.rows().stream()).toList()),
                recorded, out, tables::sparkStopped);
        List<Setting> todo = settings.stream().filter(s -> !recorded.contains(key(s))).toList();
        out.printf(Locale.ROOT, "[concentration] %s: %d settings, %d measured earlier with this recipe (%s), %d to "
                        + "measure; %d images per class, %d views each and the image itself, in %s%n", sweep,
                settings.size(), settings.size() - todo.size(), recipeKey, todo.size(), recipe.imagesPerClass(),
                recipe.views(), recipe.space().equals("pixels") ? "normalised pixels"
                        : "the features of trial " + recipe.featuresOf());
        if (todo.isEmpty()) {
            return List.of();
        }
        // Every setting's distances, measured ones too: the deltas come from all of them.
        List<ConcentrationUnit> units = new ArrayList<>();
        settings.forEach(s -> {
            for (int k = 0; k < s.classes(); k++) {
                units.add(new ConcentrationUnit.Distances(s, k));
            }
        });
        distanceUnits = units.size();
        return units;
    }

    @Override
    public String describe(ConcentrationUnit unit) {
        return "concentration " + unit.describe();
    }

    @Override
    public Function<ConcentrationUnit, ConcentrationOutcome> task() {
        return task;
    }

    @Override
    public ConcentrationOutcome failedForGood(ConcentrationUnit unit, String reason) {
        return ConcentrationOutcome.failed(reason);
    }

    @Override
    public List<ConcentrationUnit> arrived(ConcentrationUnit unit, ConcentrationOutcome outcome) {
        if (outcome.failure() != null) {
            failures.add(unit.describe() + ": " + outcome.failure());
            out.println("[concentration] FAILED " + unit.describe() + ": " + outcome.failure());
            return List.of();
        }
        seconds.merge(unit.setting().id(), outcome.seconds(), Double::sum);
        if (unit instanceof ConcentrationUnit.Distances) {
            pooled.add(upperTriangle(outcome.distances(), outcome.images()));
            distancesDone++;
            return distancesDone == distanceUnits && failures.isEmpty() ? cliqueUnits() : List.of();
        }
        ConcentrationOutcome[] classes = cliques.get(unit.setting().id());
        classes[unit.clazz()] = outcome;
        cliquesDone++;
        if (Arrays.stream(classes).allMatch(c -> c != null)) {
            SettingRows rows = rows(unit.setting(), classes);
            committer.submit(rows);
            report(unit.setting(), rows);
        }
        return List.of();
    }

    /** Deltas from the pooled distances of every setting, then a clique search per class of each unmeasured one. */
    private List<ConcentrationUnit> cliqueUnits() {
        int total = pooled.stream().mapToInt(p -> p.length).sum();
        float[] all = new float[total];
        int at = 0;
        for (float[] p : pooled) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        Arrays.sort(all);
        deltas = recipe.deltaQuantiles().stream()
                .mapToDouble(q -> all.length == 0 ? 0 : all[(int) Math.floor(q * (all.length - 1))]).toArray();
        out.printf(Locale.ROOT, "[concentration] deltas at quantiles %s of %,d pooled distances: %s%n",
                recipe.deltaQuantiles(), all.length, Arrays.toString(Arrays.stream(deltas)
                        .mapToObj(d -> String.format(Locale.ROOT, "%.2f", d)).toArray()));
        List<ConcentrationUnit> units = new ArrayList<>();
        for (Setting s : settings) {
            if (!recorded.contains(key(s))) {
                cliques.put(s.id(), new ConcentrationOutcome[s.classes()]);
                for (int k = 0; k < s.classes(); k++) {
                    units.add(new ConcentrationUnit.Cliques(s, k, deltas));
                }
            }
        }
        cliqueUnits = units.size();
        return units;
    }

    private SettingRows rows(Setting s, ConcentrationOutcome[] classes) {
        List<Map<String, Object>> rows = new ArrayList<>();
        Timestamp now = new Timestamp(System.currentTimeMillis());
        for (int q = 0; q < deltas.length; q++) {
            List<Double> sigma = new ArrayList<>();
            boolean exact = true;
            int worst = 0;
            for (int k = 0; k < classes.length; k++) {
                sigma.add(classes[k].sigma()[q]);
                exact &= classes[k].exact()[q];
                worst = classes[k].sigma()[q] < sigma.get(worst) ? k : worst;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("recipe", recipeKey);
            row.put("sweep", sweep);
            row.put("dataset", s.trial().dataset().key());
            row.put("setting", s.id());
            row.put("augs", s.augs());
            row.put("strength", s.strength());
            row.put("delta_quantile", recipe.deltaQuantiles().get(q));
            row.put("delta", deltas[q]);
            row.put("one_minus_sigma", 1 - sigma.get(worst));
            row.put("one_minus_sigma_mean", 1 - sigma.stream().mapToDouble(Double::doubleValue).average().orElse(0));
            row.put("worst_class", worst);
            row.put("exact", exact);
            row.put("sigma_per_class", String.join(" ", sigma.stream()
                    .map(v -> String.format(Locale.ROOT, "%.4f", v)).toList()));
            row.put("classes", classes.length);
            row.put("images_per_class", classes[0].images());
            row.put("views", recipe.views());
            row.put("space", recipe.space());
            row.put("seed", recipe.seed());
            row.put("seconds", seconds.get(s.id()));
            row.put("measured_at", now);
            rows.add(row);
        }
        return new SettingRows(key(s), rows);
    }

    private void report(Setting s, SettingRows rows) {
        List<String> parts = new ArrayList<>();
        for (Map<String, Object> r : rows.rows()) {
            parts.add(String.format(Locale.ROOT, "%.3f%s", (Double) r.get("one_minus_sigma"),
                    (Boolean) r.get("exact") ? "" : " (bound)"));
        }
        out.printf(Locale.ROOT, "[concentration] %s: 1 - sigma = %s at delta quantiles %s%n", s.label(),
                String.join(" / ", parts), recipe.deltaQuantiles());
    }

    @Override
    public void status(int running) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        int done = distancesDone + cliquesDone;
        int total = distanceUnits + Math.max(cliqueUnits, settings.stream().filter(s -> !recorded.contains(key(s)))
                .mapToInt(Setting::classes).sum());
        String eta = done == 0 ? "?" : ConsoleProgress.duration(elapsed / done * (total - done));
        out.printf(Locale.ROOT, "[concentration] distances %d/%d, cliques %d/%d, %d running | elapsed %s | ETA %s%n",
                distancesDone, distanceUnits, cliquesDone, cliqueUnits, running, ConsoleProgress.duration(elapsed), eta);
    }

    @Override
    public void close() {
        if (committer != null) {
            committer.close();
        }
    }

    /** The measured settings of this recipe as a table (1 - sigma per delta quantile), and what failed. */
    String summary() {
        List<Row> rows = tables.read(ConcentrationTable.TABLE).where("recipe = '" + recipeKey + "'")
                .orderBy("setting", "delta_quantile").collectAsList();
        Map<String, List<String>> bySetting = new LinkedHashMap<>();
        for (Setting s : settings) {
            bySetting.put(s.id(), new ArrayList<>(List.of(s.label())));
        }
        for (Row r : rows) {
            List<String> cells = bySetting.get(r.<String>getAs("setting"));
            if (cells != null) {
                cells.add(String.format(Locale.ROOT, "%.3f (mean %.3f)%s", r.<Double>getAs("one_minus_sigma"),
                        r.<Double>getAs("one_minus_sigma_mean"), r.<Boolean>getAs("exact") ? "" : "*"));
            }
        }
        List<String> header = new ArrayList<>(List.of("setting"));
        recipe.deltaQuantiles().forEach(q -> header.add("1-sigma @q" + q));
        List<List<String>> body = bySetting.values().stream().filter(c -> c.size() == header.size()).toList();
        String text = "1 - sigma (min over classes; mean over classes in brackets; * = lower bound on sigma, the "
                + "clique search ran out of budget), recipe " + recipeKey + "\n" + AsciiTable.render(header, body)
                + (failures.isEmpty() ? "" : "failed: " + String.join("; ", failures) + "\n");
        out.print(text);
        return text;
    }

    private String key(Setting s) {
        return recipeKey + "|" + s.id();
    }

    private static float[] upperTriangle(float[] d, int n) {
        float[] u = new float[n * (n - 1) / 2];
        int at = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                u[at++] = d[i * n + j];
            }
        }
        return u;
    }
}
