package dev.augsweep.search;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.config.KeyCheck;
import dev.augsweep.config.TrialConfigs;
import dev.augsweep.config.WholeNumber;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A job's {@code search} block: {@code search { samples = 64, sampler = sobol, seed = 0,
 * lr = "loguniform(0.01, 0.5)", strength = "uniform(0.1, 1.0)", batch-size = "choice(256, 512)",
 * knn.k = "intrange(50, 400)" }}. Every other key is a trial setting (as in {@code trial { }}) and its
 * distribution. The same block always gives the same samples; the grid's axes (method, augs, seed) cross them, so
 * every sampled point trains at the same seeds and comparisons between points stay paired by seed.
 */
public record SearchSpace(int samples, Sampler sampler, long seed, Map<String, Distribution> parameters,
                          Adaptive adaptive) implements Serializable {
    public static final Set<String> OWN_KEYS = Set.of("samples", "sampler", "seed", "startup", "candidates", "gamma",
            "multivariate");
    /** The options of sampler = tpe; the others take none. */
    private static final List<String> TPE_KEYS = List.of("startup", "candidates", "gamma", "multivariate");

    /**
     * sampler = tpe: points proposed as results arrive (the Tree-structured Parzen Estimator, Optuna's TPESampler),
     * after {@code startup} points of the scrambled Sobol' sequence.
     *
     * @param startup    Sobol' points before the model proposes (Optuna's n_startup_trials, 10)
     * @param candidates the model's candidates per setting (n_ei_candidates, 24)
     * @param gamma      the share of results the model counts as good (Optuna's default_gamma: 0.1, at most 25)
     * @param multivariate whether one model covers all settings at once (Optuna's multivariate = True), so that
     *                   settings that worked together are proposed together; false: one model per setting (Optuna's
     *                   default)
     */
    public record Adaptive(int startup, int candidates, double gamma, boolean multivariate) implements Serializable {
    }

    /** Reads the block; every problem goes to {@code problems}, naming the file and key; null where unusable. */
    public static SearchSpace parse(Config search, String where, Config defaults, List<String> problems) {
        int before = problems.size();
        int samples = 0;
        if (!search.hasPath("samples")) {
            problems.add("search.samples is missing in " + where + "; say how many points to draw, e.g. samples = 64");
        } else {
            Integer read = WholeNumber.read(search, "samples", "search.samples", where, problems);
            samples = read == null ? 1 : read;
            if (samples < 1) {
                problems.add("search.samples = " + samples + " in " + where + " must be at least 1");
            }
        }
        String samplerName = search.hasPath("sampler") ? search.getValue("sampler").unwrapped().toString() : "sobol";
        boolean tpe = samplerName.equals("tpe");
        Sampler sampler = tpe ? new SobolSampler() : Sampler.named(samplerName); // TPE starts from Sobol' points
        if (sampler == null) {
            problems.add("search.sampler = '" + samplerName + "' in " + where + " is unknown; expected sobol, random "
                    + "or tpe");
        }
        Adaptive adaptive = null;
        if (tpe) {
            Integer startup = search.hasPath("startup") ? WholeNumber.read(search, "startup", "search.startup", where,
                    problems) : Integer.valueOf(10);
            Integer candidates = search.hasPath("candidates") ? WholeNumber.read(search, "candidates",
                    "search.candidates", where, problems) : Integer.valueOf(24);
            double gamma = 0.1;
            try {
                gamma = search.hasPath("gamma") ? search.getDouble("gamma") : 0.1;
            } catch (ConfigException e) {
                gamma = Double.NaN;
            }
            if (!(gamma > 0 && gamma < 1)) {
                problems.add("search.gamma = " + search.getValue("gamma").unwrapped() + " in " + where + " must lie "
                        + "between 0 and 1 (the share of results counted as good; Optuna's is 0.1)");
            }
            boolean multivariate = false;
            try {
                multivariate = search.hasPath("multivariate") && search.getBoolean("multivariate");
            } catch (ConfigException e) {
                problems.add("search.multivariate = " + search.getValue("multivariate").unwrapped() + " in " + where
                        + " must be true or false (one model over all settings, or one per setting as Optuna's "
                        + "default)");
            }
            if (startup != null && startup < 1) {
                problems.add("search.startup = " + startup + " in " + where + " must be at least 1");
            } else if (startup != null && startup > samples && samples > 0) {
                problems.add("search.startup = " + startup + " in " + where + " is more than samples = " + samples
                        + ": the model would never propose; lower startup or raise samples");
            }
            if (candidates != null && candidates < 1) {
                problems.add("search.candidates = " + candidates + " in " + where + " must be at least 1");
            }
            if (startup != null && candidates != null) {
                adaptive = new Adaptive(startup, candidates, gamma, multivariate);
            }
        } else {
            for (String key : TPE_KEYS) {
                if (search.hasPath(key)) {
                    problems.add("search." + key + " in " + where + " is an option of sampler = tpe, not of "
                            + samplerName + "; drop it or use sampler = tpe");
                }
            }
        }
        long seed = 0;
        try {
            seed = search.hasPath("seed") ? search.getLong("seed") : 0;
        } catch (ConfigException e) {
            problems.add("search.seed in " + where + " must be a whole number (it seeds the sampler; trial seeds are "
                    + "a grid axis)");
        }
        Config settings = search;
        for (String own : OWN_KEYS) {
            settings = settings.withoutPath(own);
        }
        problems.addAll(KeyCheck.unknownKeys(settings, defaults, where + " search { }").stream()
                .map(p -> p + " (a search samples trial settings)").toList());
        // Sorted, so that each setting keeps its coordinate of the cube however HOCON orders the block.
        Map<String, Distribution> parameters = new java.util.TreeMap<>();
        for (var entry : settings.entrySet()) {
            String key = entry.getKey();
            Object raw = entry.getValue().unwrapped();
            if (!(raw instanceof String text)) {
                problems.add("search." + key + " = " + entry.getValue().render(ConfigRenderOptions.concise()) + " in "
                        + where + " is not a distribution; write it in quotes, e.g. " + key
                        + " = \"uniform(0.1, 1.0)\" (a fixed value belongs in trial { })");
                continue;
            }
            Distribution d = Distribution.parse(key, text, where, problems);
            if (d != null && TrialConfigs.WHOLE_NUMBERS.contains(key) && !d.wholeNumbers()) {
                problems.add("search." + key + " = '" + text + "' in " + where + " draws fractions, but " + key
                        + " is a whole number and a trial would train another value than the one recorded; use "
                        + "intrange(low, high) or choice(...) of whole numbers");
            } else if (d != null) {
                parameters.put(key, d);
            }
        }
        if (parameters.isEmpty() && problems.size() == before) {
            problems.add("search in " + where + " samples no setting; add one, e.g. lr = \"loguniform(0.01, 0.5)\"");
        }
        return problems.size() == before ? new SearchSpace(samples, sampler, seed, parameters, adaptive) : null;
    }

    public SearchSpace {
        parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /**
     * The samples, in draw order: the same for the same block, on any machine. Points whose values come out alike
     * (four significant digits, whole numbers, choices) would be one trial under two names: a repeat is skipped and
     * the sequence goes on to the next point, so the first k distinct samples are the same whatever {@code samples}
     * (a search extended later keeps them). A space with fewer distinct points than samples is refused.
     */
    public List<Sample> draw() {
        List<String> keys = new ArrayList<>(parameters.keySet());
        String space = json();
        for (int n = samples; ; n *= 2) {
            double[][] points = sampler.points(n, keys.size(), seed);
            java.util.Set<Map<String, Object>> seen = new java.util.HashSet<>();
            List<Sample> drawn = new ArrayList<>();
            for (int i = 0; i < n && drawn.size() < samples; i++) {
                Map<String, Object> values = new LinkedHashMap<>();
                for (int d = 0; d < keys.size(); d++) {
                    values.put(keys.get(d), parameters.get(keys.get(d)).at(points[i][d]));
                }
                if (seen.add(values)) {
                    drawn.add(new Sample(drawn.size(), values, space));
                }
            }
            if (drawn.size() == samples) {
                return drawn;
            }
            if (n >= 64L * samples) {
                throw new InvalidConfigException("search", List.of("the search space " + describe() + " has only "
                        + drawn.size() + " distinct points that " + sampler.name() + " reached, fewer than samples = "
                        + samples + "; lower samples or widen a range"));
            }
        }
    }

    /** Each setting's distribution as JSON, recorded with each trial (the report's axes come from it). */
    public String json() {
        Map<String, String> m = new LinkedHashMap<>();
        parameters.forEach((k, d) -> m.put(k, d.text()));
        return ConfigValueFactory.fromMap(m).render(ConfigRenderOptions.concise());
    }

    public String describe() {
        List<String> parts = new ArrayList<>();
        parameters.forEach((k, d) -> parts.add(k + " ~ " + d.text()));
        String kind = adaptive == null ? sampler.name() : "tpe" + (adaptive.multivariate() ? " multivariate" : "")
                + " (after " + adaptive.startup() + " sobol)";
        return samples + " " + kind + " samples (seed " + seed + ") of " + String.join(", ", parts);
    }

    /**
     * A sample's values read back from JSON (a driver's record of its proposals): each typed as its distribution
     * draws it (Double, Integer, or the choice's own value), so the sample is the one proposed.
     */
    public Map<String, Object> typed(Map<String, Object> raw) {
        Map<String, Object> typed = new LinkedHashMap<>();
        parameters.forEach((k, d) -> {
            Object v = raw.get(k);
            Object value;
            if (d instanceof Distribution.IntRange) {
                value = ((Number) v).intValue();
            } else if (d instanceof Distribution.Choice c) {
                value = c.values().stream().filter(x -> String.valueOf(x).equals(String.valueOf(v))
                        || x instanceof Number n && v instanceof Number m && n.doubleValue() == m.doubleValue())
                        .findFirst().orElseThrow(() -> new IllegalStateException(k + " = " + v + " is not a choice of "
                                + c.text()));
            } else {
                value = ((Number) v).doubleValue();
            }
            typed.put(k, value);
        });
        return typed;
    }

    /** The first {@code n} samples of the sequence (tpe's startup points), as {@link #draw()} gives them. */
    public List<Sample> first(int n) {
        return new SearchSpace(n, sampler, seed, parameters, adaptive).draw();
    }
}
