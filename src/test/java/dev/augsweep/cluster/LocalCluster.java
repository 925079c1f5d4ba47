package dev.augsweep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The standalone cluster of src/test/cluster/local-cluster.sh (a Master and Workers in their own JVMs) and
 * spark-submit against it, for the cluster ITs. Its state lives in target/it-cluster; the ITs run one at a time.
 */
final class LocalCluster {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path DIR = ROOT.resolve("target/it-cluster");
    private static final Path SCRIPTS = ROOT.resolve("src/test/cluster");

    private LocalCluster() {
    }

    /** Starts {@code workers} Workers (after stopping any left over); {@code env} as the script reads it. */
    static String start(int workers, Map<String, String> env) throws Exception {
        stop();
        List<String> out = script(List.of("start", Integer.toString(workers)), "start.log", env);
        java.util.regex.Matcher url = java.util.regex.Pattern.compile("spark://127\\.0\\.0\\.1:7178")
                .matcher(String.join("\n", out));
        assertThat(url.find()).as(String.join("\n", out)).isTrue();
        return url.group();
    }

    static void stop() throws Exception {
        script(List.of("stop"), "stop.log", Map.of());
    }

    static void killWorker(int worker) throws Exception {
        script(List.of("kill-worker", Integer.toString(worker)), "kill.log", Map.of());
    }

    /** spark-submit of augsweep with {@code args}, its output in {@code log}. */
    static Process submit(String master, List<String> args, Map<String, String> env, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(SCRIPTS.resolve("submit.sh").toString(), master));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("CLUSTER_DIR", DIR.toString());
        pb.environment().putAll(env);
        return pb.start();
    }

    private static List<String> script(List<String> args, String logName, Map<String, String> env) throws Exception {
        Files.createDirectories(DIR);
        Path log = DIR.resolve(logName);
        List<String> command = new ArrayList<>(List.of(SCRIPTS.resolve("local-cluster.sh").toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("CLUSTER_DIR", DIR.toString());
        pb.environment().put("CLUSTER_PORT", "7178");
        pb.environment().putAll(env);
        int code = pb.start().waitFor();
        List<String> lines = Files.readAllLines(log);
        assertThat(code).as(String.join("\n", lines)).isZero();
        return lines;
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
