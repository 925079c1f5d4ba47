package dev.augsweep.bench.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs src/bench/python/optuna_search.py (Debian's python3-optuna) and reads each seed's regret curve. */
public final class OptunaSearchPeer {
    static final Path SCRIPT = Path.of("src/bench/python/optuna_search.py");

    private OptunaSearchPeer() {
    }

    public static List<double[]> run(String function, long firstSeed, int seeds, int trials, int slots) {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", SCRIPT.toString(), function, Long.toString(firstSeed),
                    Integer.toString(seeds), Integer.toString(trials), Integer.toString(slots))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(SCRIPT + " failed (it needs Debian's python3-optuna: apt-get install "
                        + "python3-optuna; run bench from the checkout): " + out.lines().reduce((a, b) -> b)
                        .orElse(""));
            }
            List<double[]> curves = new ArrayList<>();
            for (String line : out.lines().filter(l -> l.startsWith("{")).toList()) {
                String list = line.substring(line.indexOf('[') + 1, line.lastIndexOf(']'));
                curves.add(java.util.Arrays.stream(list.split(",")).mapToDouble(s -> Double.parseDouble(s.trim()))
                        .toArray());
            }
            return curves;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
