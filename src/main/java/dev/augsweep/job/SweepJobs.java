package dev.augsweep.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.config.KeyCheck;
import dev.augsweep.config.Overrides;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.config.TrialConfigs;
import dev.augsweep.data.DataLocation;
import dev.augsweep.schedule.Halving;
import dev.augsweep.search.Sample;
import dev.augsweep.search.SearchSpace;
import dev.augsweep.storage.StorePath;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a sweep definition (jobs/*.conf) and expands its grid into trials. A job file is data: HOCON with
 * {@code name}, {@code grid} (one object of axes, or a list of them, each a Cartesian product) and {@code trial}
 * (settings shared by every trial, the keys of {@code augsweep train}). Every problem is reported at once.
 */
public final class SweepJobs {
    private static final Set<String> TOP_LEVEL = Set.of("name", "description", "grid", "trial", "schedule",
            "concentration", "search");
    private static final List<String> AXIS_ORDER = List.of("method", "augs", "strength", "seed");

    private SweepJobs() {
    }

    public static SweepJob load(Path file, List<String> overrides, int maxTrials) {
        Config job = TrialConfigs.parseFile(file);
        Config cli = Overrides.parse(overrides);
        List<String> problems = new ArrayList<>();
        for (String key : job.root().keySet()) {
            if (!TOP_LEVEL.contains(key)) {
                problems.add("unknown top-level key '" + key + "' in " + file + "; a job has name, description, "
                        + "grid, trial { ... } (trial settings go inside trial), search { ... } and schedule { ... }");
            }
        }
        String name = job.hasPath("name") ? job.getString("name") : stripConf(file);
        if (!name.matches("[A-Za-z0-9._-]+")) {
            problems.add("name = '" + name + "' in " + file + " must be letters, digits, '.', '_' or '-' "
                    + "(it names the results directory)");
        }
        Config shared = ConfigFactory.empty();
        if (job.hasPath("trial")) {
            try {
                shared = job.getConfig("trial");
            } catch (ConfigException.WrongType e) {
                problems.add("trial in " + file + " must be an object of trial settings, e.g. trial { epochs = 800 }");
            }
        }
        List<ConfigObject> grids = grids(job, file, problems);
        List<TrialConfig> probes = new ArrayList<>(); // a tpe search's corner trials: validation only
        Config defaults = TrialConfigs.defaults();
        problems.addAll(KeyCheck.unknownKeys(shared, defaults, file + " trial { }"));
        problems.addAll(KeyCheck.unknownKeys(cli, defaults, "the command line"));
        List<Map<String, ConfigValue>> combos = new ArrayList<>();
        List<Integer> gridOfCombo = new ArrayList<>();
        for (int g = 0; g < grids.size(); g++) {
            List<Map<String, ConfigValue>> expanded = expand(grids.get(g), file + " grid[" + g + "]", defaults, problems);
            combos.addAll(expanded);
            for (int i = 0; i < expanded.size(); i++) {
                gridOfCombo.add(g);
            }
        }
        SearchSpace search = search(job, file, grids, cli, defaults, problems);
        SampleTrials sampleTrials = search == null ? null : new SampleTrials(file, cli, shared, combos, gridOfCombo);
        List<Sample> sampleOfCombo = new ArrayList<>();
        if (search != null && search.adaptive() != null) {
            // tpe proposes its samples as results arrive: here only the corners of its space, to refuse now what a
            // trial would refuse later (the trials come from the proposals, one sample at a time).
            combos = new ArrayList<>();
            gridOfCombo = new ArrayList<>();
            for (Sample corner : corners(search)) {
                for (SampleTrials.Trial t : problems.isEmpty() ? sampleTrials.of(corner) : List.<SampleTrials.Trial>of()) {
                    probes.add(t.trial());
                }
            }
        } else if (search != null) {
            // Sample by sample within each grid entry, the seeds of a sample together: a sampled point's seeds reach
            // a rung together, so a schedule can decide on it early.
            List<Sample> samples = search.draw();
            List<Map<String, ConfigValue>> crossed = new ArrayList<>();
            List<Integer> gridOfCrossed = new ArrayList<>();
            for (int g = 0; g < grids.size(); g++) {
                for (Sample sample : samples) {
                    for (int c = 0; c < combos.size(); c++) {
                        if (gridOfCombo.get(c) == g) {
                            crossed.add(withSample(combos.get(c), sample));
                            gridOfCrossed.add(g);
                            sampleOfCombo.add(sample);
                        }
                    }
                }
            }
            combos = crossed;
            gridOfCombo = gridOfCrossed;
        }
        if (combos.isEmpty() && probes.isEmpty() && problems.isEmpty()) {
            problems.add("the grid of " + file + " is empty: give each axis at least one value, e.g. "
                    + "grid { method = [simclr], augs = [abcde], seed = [0, 1, 2] }");
        }
        if (combos.size() > maxTrials) {
            problems.add("the grid of " + file + " has " + combos.size() + " trials, more than the limit of "
                    + maxTrials + "; check the axes, or pass --max-trials " + combos.size() + " to run them all");
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(file.toString(), problems);
        }
        Map<String, TrialConfig> trials = new LinkedHashMap<>();
        Map<String, Integer> gridOf = new LinkedHashMap<>();
        Map<String, Sample> sampleOf = new LinkedHashMap<>();
        Set<String> trialProblems = new LinkedHashSet<>();
        Map<String, List<Integer>> combosOf = new LinkedHashMap<>();
        for (int c = 0; c < combos.size(); c++) {
            Map<String, ConfigValue> combo = combos.get(c);
            try {
                TrialConfig t = SampleTrials.resolve(file, cli, shared, combo);
                trials.putIfAbsent(t.id(), t);
                combosOf.computeIfAbsent(t.id(), k -> new ArrayList<>()).add(c);
                gridOf.putIfAbsent(t.id(), gridOfCombo.get(c));
                if (search != null && search.adaptive() == null) {
                    sampleOf.putIfAbsent(t.id(), sampleOfCombo.get(c));
                }
            } catch (InvalidConfigException e) {
                e.problems().forEach(p -> trialProblems.add(p + " (" + describe(combo) + ")"));
            }
        }
        if (!trialProblems.isEmpty()) {
            throw new InvalidConfigException(file.toString(), new ArrayList<>(trialProblems));
        }
        boolean adaptive = search != null && search.adaptive() != null;
        Halving schedule = schedule(job, file, adaptive ? probes : trials.values());
        List<String> warnings = new ArrayList<>(sameMeaning(file, combos, gridOfCombo, combosOf));
        if (schedule != null) {
            // Cells ranked together: a tpe search's every sample makes as many cells as its first one.
            Map<String, Set<String>> cellsOfGroup = new LinkedHashMap<>();
            List<TrialConfig> counted = adaptive ? probes.subList(0, probes.size() / 2) : List.copyOf(trials.values());
            for (int i = 0; i < counted.size(); i++) {
                TrialConfig t = counted.get(i);
                int grid = adaptive ? 0 : gridOf.get(t.id());
                cellsOfGroup.computeIfAbsent(schedule.groupOf(t, grid), g -> new LinkedHashSet<>()).add(t.cellId());
            }
            int perSampleFactor = adaptive ? search.samples() : 1;
            cellsOfGroup.values().stream().mapToInt(Set::size).min().ifPresent(fewest -> {
                String w = schedule.unreachable(fewest * perSampleFactor, counted.get(0).epochs(), file.toString());
                if (w != null) {
                    warnings.add(w);
                }
            });
        }
        return new SweepJob(name, file.toString(), List.copyOf(trials.values()), Map.copyOf(gridOf), schedule, search,
                Map.copyOf(sampleOf), List.copyOf(warnings), sampleTrials);
    }

    /**
     * Values of one grid entry's axis that make the same trial (augs = [a, aa, A]): one line per axis and entry,
     * saying which values merged. Grid entries that share a cell on purpose (the combinations' abcde is also the
     * colour-strength table's full strength) are not warned of.
     */
    private static List<String> sameMeaning(Path file, List<Map<String, ConfigValue>> combos, List<Integer> gridOfCombo,
                                            Map<String, List<Integer>> combosOf) {
        Map<String, Set<String>> merged = new LinkedHashMap<>();
        for (List<Integer> same : combosOf.values()) {
            for (int i = 1; i < same.size(); i++) {
                Map<String, ConfigValue> first = combos.get(same.get(0));
                Map<String, ConfigValue> other = combos.get(same.get(i));
                int grid = gridOfCombo.get(same.get(i));
                if (gridOfCombo.get(same.get(0)) != grid) {
                    continue;
                }
                for (String axis : first.keySet()) {
                    String a = String.valueOf(first.get(axis).unwrapped());
                    String b = String.valueOf(other.get(axis).unwrapped());
                    if (!a.equals(b)) {
                        Set<String> values = merged.computeIfAbsent("grid[" + grid + "]." + axis,
                                k -> new LinkedHashSet<>());
                        values.add(a);
                        values.add(b);
                    }
                }
            }
        }
        List<String> warnings = new ArrayList<>();
        merged.forEach((axis, values) -> warnings.add(axis + " in " + file + " has values that mean the same trial: "
                + String.join(", ", values) + "; they run once, not " + values.size() + " times (drop the repeats)"));
        return List.copyOf(warnings);
    }

    /** Two samples at the ends of every range (the first and the last choice), for validating a tpe search. */
    private static List<Sample> corners(SearchSpace search) {
        Map<String, Object> low = new LinkedHashMap<>();
        Map<String, Object> high = new LinkedHashMap<>();
        search.parameters().forEach((k, d) -> {
            low.put(k, d.at(0));
            high.put(k, d.at(Math.nextDown(1.0)));
        });
        return List.of(new Sample(0, low, search.json()), new Sample(1, high, search.json()));
    }

    /** The job's search block, or null; its settings may be neither a grid axis nor set on the command line. */
    private static SearchSpace search(Config job, Path file, List<ConfigObject> grids, Config cli, Config defaults,
                                      List<String> problems) {
        if (!job.hasPath("search")) {
            return null;
        }
        Config block;
        try {
            block = job.getConfig("search");
        } catch (ConfigException.WrongType e) {
            problems.add("search in " + file + " must be an object, e.g. search { samples = 16, sampler = sobol, "
                    + "lr = \"loguniform(0.01, 0.5)\" }");
            return null;
        }
        Config settings = block;
        for (String own : SearchSpace.OWN_KEYS) {
            settings = settings.withoutPath(own);
        }
        for (String key : settings.entrySet().stream().map(Map.Entry::getKey).toList()) {
            for (ConfigObject grid : grids) {
                if (grid.toConfig().hasPath(key)) {
                    problems.add("'" + key + "' in " + file + " is both a grid axis and sampled by search; keep it in "
                            + "one of them");
                }
            }
            if (cli.hasPath(key)) {
                problems.add("'" + key + "' is sampled by the search of " + file + " and set on the command line; "
                        + "drop one of them");
            }
        }
        return SearchSpace.parse(block, file.toString(), defaults, problems);
    }

    /** The job's schedule, or null; its trials must share their number of epochs, which its rungs divide. */
    private static Halving schedule(Config job, Path file, java.util.Collection<TrialConfig> trials) {
        if (!job.hasPath("schedule")) {
            return null;
        }
        List<String> problems = new ArrayList<>();
        Set<Integer> epochs = new java.util.TreeSet<>();
        trials.forEach(t -> epochs.add(t.epochs()));
        if (epochs.size() > 1) {
            problems.add("a schedule needs every trial to train for the same epochs; " + file + " has " + epochs);
        }
        Halving h;
        try {
            h = Halving.parse(job.getConfig("schedule"), file.toString(), epochs.iterator().next(), problems);
        } catch (ConfigException.WrongType e) {
            problems.add("schedule in " + file + " must be an object, e.g. schedule { kind = halving, "
                    + "rungs = [50, 200, 800], keep = 1/3 }");
            h = null;
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(file.toString(), problems);
        }
        return h;
    }

    private static List<ConfigObject> grids(Config job, Path file, List<String> problems) {
        if (!job.hasPath("grid")) {
            problems.add(file + " has no grid; add e.g. grid { method = [simclr, barlowtwins], seed = [0, 1, 2] }");
            return List.of();
        }
        ConfigValue grid = job.getValue("grid");
        List<ConfigObject> grids = new ArrayList<>();
        if (grid.valueType() == ConfigValueType.OBJECT) {
            grids.add((ConfigObject) grid);
        } else if (grid.valueType() == ConfigValueType.LIST) {
            for (ConfigValue v : (ConfigList) grid) {
                if (v.valueType() == ConfigValueType.OBJECT) {
                    grids.add((ConfigObject) v);
                } else {
                    problems.add("grid in " + file + " lists a " + v.valueType().name().toLowerCase()
                            + "; each entry must be an object of axes");
                }
            }
        } else {
            problems.add("grid in " + file + " must be an object of axes or a list of them");
        }
        return grids;
    }

    /** The Cartesian product of one grid's axes, in a readable order (method, augs, strength, seed, then others). */
    private static List<Map<String, ConfigValue>> expand(ConfigObject grid, String where, Config defaults,
                                                         List<String> problems) {
        List<String> axes = new ArrayList<>(grid.keySet());
        axes.sort(Comparator.comparingInt((String a) -> AXIS_ORDER.contains(a) ? AXIS_ORDER.indexOf(a) : 99)
                .thenComparing(a -> a));
        Config asConfig = grid.toConfig();
        problems.addAll(KeyCheck.unknownKeys(asConfig, defaults, where));
        List<Map<String, ConfigValue>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        for (String axis : axes) {
            ConfigValue v = grid.get(axis);
            List<ConfigValue> values = v.valueType() == ConfigValueType.LIST ? new ArrayList<>((ConfigList) v) : List.of(v);
            if (values.isEmpty()) {
                problems.add(where + " axis '" + axis + "' is empty; give it at least one value");
                return List.of();
            }
            List<Map<String, ConfigValue>> next = new ArrayList<>();
            for (Map<String, ConfigValue> combo : combos) {
                for (ConfigValue value : values) {
                    Map<String, ConfigValue> c = new LinkedHashMap<>(combo);
                    c.put(axis, ConfigValueFactory.fromAnyRef(value.unwrapped(), where));
                    next.add(c);
                }
            }
            combos = next;
        }
        return combos;
    }

    /** A grid combination with a sample's settings. */
    private static Map<String, ConfigValue> withSample(Map<String, ConfigValue> combo, Sample sample) {
        Map<String, ConfigValue> c = new LinkedHashMap<>(combo);
        sample.values().forEach((k, v) -> c.put(k, ConfigValueFactory.fromAnyRef(v, "search sample " + sample.index())));
        return c;
    }

    private static String describe(Map<String, ConfigValue> combo) {
        return SampleTrials.describe(combo);
    }

    private static String stripConf(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(".conf") ? n.substring(0, n.length() - 5) : n;
    }
}
