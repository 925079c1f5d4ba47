package dev.augsweep.config;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Finds keys the defaults do not know, and suggests the nearest known key for each (typos are the usual cause). */
public final class KeyCheck {
    private KeyCheck() {
    }

    public static List<String> unknownKeys(Config user, Config defaults, String where) {
        Set<String> known = leafPaths(defaults);
        List<String> problems = new ArrayList<>();
        for (String path : leafPaths(user)) {
            if (known.contains(path) || isUnderKnownMap(path)) {
                continue;
            }
            problems.add("unknown key '" + path + "' in " + where + didYouMean(path, known)
                    + "; known keys are listed in conf/defaults.conf");
        }
        return problems;
    }

    /** " (did you mean 'x'?)" for the known name nearest to {@code name} where it is near (3 edits), else "". */
    public static String didYouMean(String name, Collection<String> known) {
        String nearest = known.stream().min(Comparator.comparingInt(k -> distance(k, name))).orElse(null);
        return nearest != null && distance(nearest, name) <= 3 ? " (did you mean '" + nearest + "'?)" : "";
    }

    /** Tables such as learning-rates.2021 may gain entries (a new release); everything else must match a default. */
    private static boolean isUnderKnownMap(String path) {
        return path.startsWith("learning-rates.") || path.startsWith("augment.color-jitter-p.");
    }

    static Set<String> leafPaths(Config config) {
        return config.entrySet().stream().map(Map.Entry::getKey)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
