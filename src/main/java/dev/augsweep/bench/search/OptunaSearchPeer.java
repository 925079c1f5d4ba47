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
        return lines(List.of(function, Long.toString(firstSeed), Integer.toString(seeds), Integer.toString(trials),
                Integer.toString(slots))).stream().map(line -> numbers(line, "regret")).toList();
    }

    /** A seed's search over simulated training runs: regret after each trial (completed ones count), epochs spent. */
    public record Pruned(double[] regret, long epochs) {
    }

    /**
     * Each trial a simulated run of {@code epochs} epochs ({@link ObjectiveCurve}'s curve, crossing or not), reported every epoch, under
     * Optuna's SuccessiveHalvingPruner (rungs at 3, 9, 27) where {@code halving}, else none.
     */
    public static List<Pruned> runPruned(String function, boolean crossing, long firstSeed, int seeds, int trials,
                                         int slots, int epochs, boolean halving) {
        return lines(List.of(function, Long.toString(firstSeed), Integer.toString(seeds), Integer.toString(trials),
                Integer.toString(slots), Integer.toString(epochs), halving ? "halving" : "none",
                crossing ? "crossing" : "same-shape")).stream()
                .map(line -> new Pruned(numbers(line, "regret"), (long) numbers(line, "epochs")[0])).toList();
    }

    private static List<String> lines(List<String> args) {
        try {
            List<String> command = new ArrayList<>(List.of("/usr/bin/python3", SCRIPT.toString()));
            command.addAll(args);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(SCRIPT + " failed (it needs Debian's python3-optuna: apt-get install "
                        + "python3-optuna; run bench from the checkout): " + out.lines().reduce((a, b) -> b)
                        .orElse(""));
            }
            return out.lines().filter(l -> l.startsWith("{")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A JSON line's number or list of numbers under {@code key} (Python writes an infinite regret as Infinity). */
    private static double[] numbers(String line, String key) {
        int at = line.indexOf(':', line.indexOf("\"" + key + "\"")) + 1;
        String rest = line.substring(at).trim();
        String value = rest.startsWith("[") ? rest.substring(1, rest.indexOf(']'))
                : rest.split("[,}]", 2)[0];
        return java.util.Arrays.stream(value.split(",")).mapToDouble(v -> Double.parseDouble(v.trim())).toArray();
    }
}
