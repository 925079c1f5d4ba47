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
public record SearchSpace(int samples, Sampler sampler, long seed, Map<String, Distribution> parameters)
        implements Serializable {
    private static final Set<String> OWN_KEYS = Set.of("samples", "sampler", "seed");

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
        Sampler sampler = Sampler.named(samplerName);
        if (sampler == null) {
            problems.add("search.sampler = '" + samplerName + "' in " + where + " is unknown; expected random or sobol");
        }
        long seed = 0;
        try {
            seed = search.hasPath("seed") ? search.getLong("seed") : 0;
        } catch (ConfigException e) {
            problems.add("search.seed in " + where + " must be a whole number (it seeds the sampler; trial seeds are "
                    + "a grid axis)");
        }
        Config settings = search.withoutPath("samples").withoutPath("sampler").withoutPath("seed");
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
        return problems.size() == before ? new SearchSpace(samples, sampler, seed, parameters) : null;
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
        return samples + " " + sampler.name() + " samples (seed " + seed + ") of " + String.join(", ", parts);
    }
}
