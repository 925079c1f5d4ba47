package dev.augsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.device.LoadedLibTorch;
import dev.augsweep.testing.TestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher as an operator runs it with natives of their own (docs/clusters.md: GPUs): libtorch comes from
 * PYTORCH_LIBRARY_PATH, with the JNI for that flavour from DJL's jar, and the bundled CPU natives' jar is not on the
 * classpath. Here the operator's natives are the CPU build in a directory of their own (no CUDA build runs here), so
 * `check --device gpu` must name that directory and refuse GPU training with the fix.
 */
class LauncherIT {
    @Test
    void pytorchLibraryPathIsWhatLoadsAndTheCpuJarStaysOffTheClasspath(@TempDir Path dir) throws Exception {
        Path lib = Files.createDirectories(dir.resolve("site-packages/torch/lib"));
        try (Stream<Path> natives = Files.list(LoadedLibTorch.directory())) {
            for (Path f : natives.filter(f -> !f.getFileName().toString().contains("djl_torch")).toList()) {
                Files.createSymbolicLink(lib.resolve(f.getFileName()), f);
            }
        }
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of("augsweep").toAbsolutePath().toString(), "check",
                "--device", "gpu")).redirectErrorStream(true);
        pb.environment().putAll(java.util.Map.of("PYTORCH_LIBRARY_PATH", lib.toString(), "PYTORCH_VERSION", "2.7.1",
                "PYTORCH_FLAVOR", "cpu", "ENGINE_CACHE_DIR", dir.resolve("djl-cache").toString(),
                "AUGSWEEP_QUIET_JEMALLOC", "1", "AUGSWEEP_CRASH_DIR", dir.resolve("crashes").toString()));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try (Stream<Path> links = Files.list(lib)) { // links out of the temp dir: JUnit would warn about each
            for (Path link : links.toList()) {
                Files.delete(link);
            }
        }
        assertThat(p.waitFor()).as(out).isEqualTo(CheckCommand.NO_GPU);
        assertThat(out).contains("libtorch:        2.7.1 from " + lib + " (PYTORCH_LIBRARY_PATH)")
                .contains("CPU natives jar: not on the classpath").contains("flavour:         cpu (no CUDA)")
                .contains("NO GPU TRAINING: libtorch is a CPU build").contains("PYTORCH_FLAVOR=cu128");
        // DJL took the JNI for the flavour asked from its jar into the cache given (2.7.1-cpu-...), nothing else
        try (Stream<Path> cached = Files.walk(dir.resolve("djl-cache"))) {
            assertThat(cached.filter(Files::isRegularFile).map(f -> f.getParent().getFileName() + "/" + f.getFileName()))
                    .containsExactly("2.7.1-cpu-linux-x86_64/0.36.0-libdjl_torch.so");
        }
    }

    /**
     * A CPU trial as a user runs it says what it trains and how it did, without libtorch's repeated warnings (about
     * 80 lines of "Could not initialize NNPACK! Reason: Unsupported hardware" a trial on CPUs NNPACK does not know).
     */
    @Test
    void aCpuTrialsOutputHasNoNnpackLines(@TempDir Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of("augsweep").toAbsolutePath().toString(), "train",
                "width=0.0625", "train-limit=128", "test-limit=64", "batch-size=32", "epochs=1",
                "data=" + TestData.archive().toAbsolutePath())).redirectErrorStream(true);
        pb.environment().putAll(java.util.Map.of("AUGSWEEP_QUIET_JEMALLOC", "1", "AUGSWEEP_CRASH_DIR",
                dir.resolve("crashes").toString()));
        pb.environment().remove(LoadedLibTorch.LOG_ENV);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        // The kernel guard's verdict is in the trial's first line; its per-shape line only with --verbose.
        assertThat(out).contains("on cpu() (").contains("done: knn top-1").doesNotContain("NNPACK")
                .doesNotContain("CPU convolutions:");
    }

    /**
     * The launcher rebuilding a copy of the project whose sources are newer than its jar: one line says it builds,
     * and nothing of Maven reaches the terminal (Maven 3.8 printed colour resets even with -q -B).
     */
    @Test
    void aRebuildSaysOneLineWithoutEscapeCodes(@TempDir Path dir) throws Exception {
        Path copy = dir.resolve("augsweep");
        for (String part : List.of("augsweep", "pom.xml", "LICENSE", "src/main", "src/license", "conf")) {
            copyTree(Path.of(part), copy.resolve(part));
        }
        ProcessBuilder pb = new ProcessBuilder(List.of(copy.resolve("augsweep").toString(), "--version"));
        pb.environment().put("AUGSWEEP_QUIET_JEMALLOC", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(err).isZero();
        assertThat(err).as("what the rebuild printed").contains("augsweep: building").doesNotContain("\u001b")
                .hasLineCount(1);
        assertThat(out).doesNotContain("\u001b");
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(f, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
