package dev.augsweep.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a benchmark's main class in a fresh JVM with this one's settings (flags, class path, environment: jemalloc
 * included), for figures the bench JVM would distort: its heap and allocator pages hold what the other benchmarks
 * left, and its garbage collections land in whatever is measured next.
 */
final class ChildJvm {
    private ChildJvm() {
    }

    /** The child's lines that start with {@code prefix}, without it, echoed to {@code out} as they come. */
    static List<String> run(Class<?> main, List<String> args, String prefix, PrintStream out) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            List<String> lines = new ArrayList<>();
            List<String> tail = new ArrayList<>();
            try (var stream = p.inputReader().lines()) {
                stream.forEach(line -> {
                    if (line.startsWith(prefix)) {
                        lines.add(line.substring(prefix.length()).trim());
                        out.println("  " + line);
                    } else if (tail.size() < 40) {
                        tail.add(line);
                    }
                });
            }
            if (p.waitFor() != 0) {
                throw new IllegalStateException(main.getSimpleName() + " exited with " + p.exitValue() + ":\n"
                        + String.join("\n", tail));
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
