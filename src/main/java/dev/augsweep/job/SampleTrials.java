package dev.augsweep.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.config.TrialConfigs;
import dev.augsweep.data.DataLocation;
import dev.augsweep.search.Sample;
import dev.augsweep.storage.StorePath;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A job's grid entries made into trials: each combination of the grid's axes (the seeds among them) resolved against
 * the job's shared settings and the command line. A search crosses every sample with all of them, so that every
 * sampled point trains at the same seeds: up front for sobol and random, one sample at a time as tpe proposes it.
 */
public final class SampleTrials {
    private final Path file;
    private final Config cli;
    private final Config shared;
    private final List<Map<String, ConfigValue>> combos;
    private final List<Integer> gridOfCombo;

    /** A trial and the grid entry it came from. */
    public record Trial(TrialConfig trial, int grid) {
    }

    SampleTrials(Path file, Config cli, Config shared, List<Map<String, ConfigValue>> combos,
                 List<Integer> gridOfCombo) {
        this.file = file;
        this.cli = cli;
        this.shared = shared;
        this.combos = List.copyOf(combos);
        this.gridOfCombo = List.copyOf(gridOfCombo);
    }

    /** How many trials each sample makes (distinct combinations of the grid). */
    public int perSample() {
        return combos.size();
    }

    /** The trials of {@code sample}, in grid order; a setting a trial refuses is one error naming its combination. */
    public List<Trial> of(Sample sample) {
        List<Trial> trials = new ArrayList<>();
        Set<String> problems = new LinkedHashSet<>();
        for (int c = 0; c < combos.size(); c++) {
            Map<String, ConfigValue> combo = new LinkedHashMap<>(combos.get(c));
            sample.values().forEach((k, v) -> combo.put(k, ConfigValueFactory.fromAnyRef(v, "search sample "
                    + sample.index())));
            try {
                trials.add(new Trial(resolve(file, cli, shared, combo), gridOfCombo.get(c)));
            } catch (InvalidConfigException e) {
                e.problems().forEach(p -> problems.add(p + " (" + describe(combo) + ")"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(file.toString(), new ArrayList<>(problems));
        }
        return trials;
    }

    /** One combination of axes made a trial: the command line over the axes over the job's shared settings. */
    static TrialConfig resolve(Path file, Config cli, Config shared, Map<String, ConfigValue> combo) {
        Config user = cli;
        for (Map.Entry<String, ConfigValue> axis : combo.entrySet()) {
            if (!cli.hasPath(axis.getKey())) {
                user = user.withValue(axis.getKey(), axis.getValue());
            }
        }
        TrialConfig t = TrialConfigs.resolve(user.withFallback(shared), file + " " + describe(combo));
        // Absolute, as every executor reads it; a URI (hdfs://, s3a://) and the user cache stay as they are.
        String data = t.runtime().data().equals(DataLocation.CACHE) ? DataLocation.CACHE
                : StorePath.of(t.runtime().data()).toString();
        return t.withRuntime(t.runtime().withData(data));
    }

    static String describe(Map<String, ConfigValue> combo) {
        List<String> parts = new ArrayList<>();
        combo.forEach((k, v) -> parts.add(k + "=" + v.unwrapped()));
        return String.join(" ", parts);
    }
}
