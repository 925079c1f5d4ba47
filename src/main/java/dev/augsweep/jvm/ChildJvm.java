package dev.augsweep.jvm;

import java.io.File;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line of a JVM started from this one to run one of augsweep's main classes: the same java, the same
 * classes (on a Spark executor the application's jars sit in the task's class loader, not on java.class.path),
 * this JVM's augsweep and DJL system properties, and its fatal error log sent to a directory of the caller's.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * @param jvmOptions extra options, such as -Xmx or -D flags
     * @param crashDir   where the child writes hs_err_pid*.log if native code kills it
     */
    public static List<String> command(Class<?> main, List<String> jvmOptions, Path crashDir, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin",
                "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(inheritedProperties());
        command.add(CrashLog.errorFileFlag(crashDir));
        command.addAll(List.of("-cp", classPath(), main.getName()));
        command.addAll(args);
        return command;
    }

    /** This JVM's augsweep and DJL system properties as -D flags, as a child gets them now (sorted). */
    public static List<String> inheritedProperties() {
        return System.getProperties().stringPropertyNames().stream()
                .filter(n -> n.startsWith("augsweep.") || n.startsWith("ai.djl.") || n.equals("log4j2.configurationFile"))
                .sorted().map(n -> "-D" + n + "=" + System.getProperty(n)).toList();
    }

    /** This JVM's own flags (heap, module opens, system properties), for children that should match it exactly. */
    public static List<String> sameFlags() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-XX:ErrorFile") && !a.startsWith("-agentlib") && !a.startsWith("-javaagent"))
                .toList();
    }

    /** The context class loader's jars (a Spark executor's application jars) first, then java.class.path. */
    static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (ClassLoader l = Thread.currentThread().getContextClassLoader(); l != null; l = l.getParent()) {
            if (l instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    if (url.getProtocol().equals("file")) {
                        try {
                            entries.add(Path.of(url.toURI()).toString());
                        } catch (URISyntaxException | IllegalArgumentException e) {
                            // not a plain file URL: the child cannot use it either
                        }
                    }
                }
            }
        }
        entries.addAll(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
        entries.remove("");
        return String.join(File.pathSeparator, entries);
    }

    /**
     * Runs {@code main} in a child JVM to its end and returns its output lines that start with {@code prefix}
     * (without it), echoed to {@code out} as they come. A child that fails throws, naming its crash frame when
     * native code killed it, else quoting the end of its output.
     */
    public static List<String> run(Class<?> main, List<String> jvmOptions, List<String> args, Map<String, String> env,
                                   Path crashDir, String prefix, PrintStream out) {
        List<String> picked = new ArrayList<>();
        ArrayDeque<String> tail = new ArrayDeque<>();
        try (WatchedProcess child = new WatchedProcess(start(command(main, jvmOptions, crashDir, args), env),
                crashDir)) {
            String line;
            while ((line = child.readLine()) != null) {
                if (line.startsWith(prefix)) {
                    picked.add(line.substring(prefix.length()).trim());
                    out.println("  " + line);
                }
                tail.add(line);
                if (tail.size() > 40) {
                    tail.poll();
                }
            }
            WatchedProcess.Exit exit = child.awaitExit();
            if (exit.code() != 0) {
                throw new IllegalStateException(main.getSimpleName() + " failed: " + exit.describe()
                        + (exit.crashed() ? "" : ":\n" + String.join("\n", tail)));
            }
            return picked;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + main.getSimpleName() + " ran", e);
        }
    }

    /** Starts the command with stderr merged into stdout and {@code extraEnv} added to this JVM's environment. */
    public static Process start(List<String> command, Map<String, String> extraEnv) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(extraEnv);
        try {
            return pb.start();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }
}
