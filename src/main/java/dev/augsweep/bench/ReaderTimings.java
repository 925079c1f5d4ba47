package dev.augsweep.bench;

import dev.augsweep.jvm.ChildJvm;
import dev.augsweep.results.SparkSessions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/**
 * How long a user waits for the readers ({@code tables}, {@code sql}, {@code plots}) on the shipped snapshot, each a
 * fresh JVM as the launcher starts it, from start to exit: the goal is 10 s on two cores. Beside them, the floor
 * they share: a fresh JVM that starts a bare local Spark session, runs {@code SELECT 1} and stops ({@link #main}).
 * Each figure is the median of {@code reps} runs, the runs of the four commands interleaved so that drift in the
 * machine's speed reaches all of them alike.
 */
final class ReaderTimings {
    static final double GOAL_SECONDS = 10;
    private static final String SNAPSHOT = "docs/results/cpu-paper-v2";

    private ReaderTimings() {
    }

    /** The bare session: what every reader pays before reading anything. */
    public static void main(String[] args) {
        SparkSession spark = SparkSessions.create("bench bare session", "local[2]", Map.of("spark.ui.enabled",
                "false"));
        spark.sql("SELECT 1").collectAsList();
        spark.stop();
    }

    /**
     * @param augsweep the command line that runs augsweep with the given arguments in a fresh JVM
     */
    static List<Measure> measure(Function<List<String>, List<String>> augsweep, int reps, PrintStream out) {
        Path plots;
        Path crashes;
        try {
            plots = Files.createTempDirectory("augsweep-bench-plots");
            crashes = Files.createTempDirectory("augsweep-bench-crashes");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> names = List.of("tables", "sql", "plots", "bare Spark session");
        List<List<String>> commands = List.of(
                augsweep.apply(List.of("tables", "--results", SNAPSHOT)),
                augsweep.apply(List.of("sql", "SELECT method, count(*) FROM trials GROUP BY method", "--results",
                        SNAPSHOT)),
                augsweep.apply(List.of("plots", "--results", SNAPSHOT, "--out", plots.toString())),
                ChildJvm.command(ReaderTimings.class, ChildJvm.sameFlags(), crashes, List.of()));
        double[][] seconds = new double[commands.size()][reps];
        for (int rep = 0; rep < reps; rep++) {
            for (int c = 0; c < commands.size(); c++) {
                out.printf(Locale.ROOT, "readers on the shipped snapshot, run %d of %d: %s ...%n", rep + 1, reps,
                        names.get(c));
                seconds[c][rep] = wall(commands.get(c));
            }
        }
        double bare = Benchmarks.median(seconds[3]);
        List<Measure> measures = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            double s = Benchmarks.median(seconds[c]);
            measures.add(new Measure("cli_" + names.get(c) + "_seconds", s, "s", null, s / bare,
                    String.format(Locale.ROOT, "≤ %.0f s (ratio: over a bare Spark session's %.1f s)", GOAL_SECONDS,
                            bare), s <= GOAL_SECONDS));
        }
        measures.add(new Measure("cli_bare_spark_seconds", bare, "s", null, null,
                "none (a fresh JVM, local Spark, SELECT 1, stop: every reader's floor)", null));
        return measures;
    }

    private static double wall(List<String> command) {
        try {
            Path log = Files.createTempFile("augsweep-bench-reader", ".log");
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            int code = p.waitFor();
            double s = (System.nanoTime() - t0) / 1e9;
            if (code != 0) {
                List<String> lines = Files.readAllLines(log);
                throw new IllegalStateException("a reader failed (exit " + code + "): " + String.join(" | ",
                        lines.subList(Math.max(0, lines.size() - 5), lines.size())));
            }
            Files.delete(log);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
