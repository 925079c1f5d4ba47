package dev.augsweep.jvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM whose output is read line by line and whose death is told apart: a clean exit, a native crash with
 * its fatal error log, or a hang. A JVM that crashes can hang while it reports (seen: a SIGSEGV in libtorch, then
 * the JVM stuck until killed), so a watchdog kills a child whose crash log has stopped growing for a while; and a
 * miscomputing kernel can spin for ever without crashing (seen: oneDNN's 1x1 backward-weights convolution), so a
 * reader may give a child a limit on how long it stays silent.
 */
public final class WatchedProcess implements AutoCloseable {
    /** How long a crashed JVM may take to finish its report and exit before it is killed. */
    static final long CRASH_GRACE_MS = 20_000;
    private static final String END = new String("end of output");

    private final Process process;
    private final Path crashDir;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private volatile long silentKill;

    /**
     * How the process ended: its exit code, its crash log when native code killed it, and the silence after which
     * it was killed as hung (0 when it was not).
     */
    public record Exit(int code, CrashLog crash, long killedAfterSilentMs) {
        public boolean crashed() {
            return crash != null || killedAfterSilentMs > 0 || code == 134 || code == 137 || code == 139;
        }

        /** In words: the crash summary, the hang, the signal that killed it, or its exit code. */
        public String describe() {
            if (crash != null) {
                return crash.summary();
            }
            if (killedAfterSilentMs > 0) {
                return "hung: no output for " + killedAfterSilentMs / 60_000 + " min, so it was killed";
            }
            return switch (code) {
                case 137 -> "killed by SIGKILL (out of memory, or killed from outside)";
                case 139 -> "SIGSEGV, no crash log written";
                case 134 -> "SIGABRT, no crash log written";
                default -> "exit code " + code;
            };
        }
    }

    public WatchedProcess(Process process, Path crashDir) {
        this.process = process;
        this.crashDir = crashDir;
        Thread reader = new Thread(this::readOutput, "child-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        Thread watchdog = new Thread(this::watch, "child-crash-watch-" + process.pid());
        watchdog.setDaemon(true);
        watchdog.start();
    }

    public long pid() {
        return process.pid();
    }

    public OutputStream input() {
        return process.getOutputStream();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The next line the child printed, or null once its output has ended (it exited or died). */
    public String readLine() throws InterruptedException {
        return readLine(Long.MAX_VALUE);
    }

    /**
     * The next line the child printed, or null once its output has ended; a child silent for longer than
     * {@code maxSilenceMs} is killed as hung (its exit says so) and null is returned.
     */
    public String readLine(long maxSilenceMs) throws InterruptedException {
        String line = lines.poll(maxSilenceMs, TimeUnit.MILLISECONDS);
        if (line == null) {
            silentKill = maxSilenceMs;
            close();
            line = lines.take();
        }
        if (line == END) {
            lines.add(END); // later calls see the end too
            return null;
        }
        return line;
    }

    /** Waits for the child to end (after its output ended) and says how it ended. */
    public Exit awaitExit() throws InterruptedException {
        int code = process.waitFor();
        Path log = CrashLog.expected(crashDir, process.pid());
        return new Exit(code, Files.isRegularFile(log) ? CrashLog.read(log) : null, silentKill);
    }

    /** Kills the child and its own children. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the pipe closed: the process is gone
        } finally {
            lines.add(END);
        }
    }

    private void watch() {
        Path log = CrashLog.expected(crashDir, process.pid());
        try {
            while (!process.waitFor(1, TimeUnit.SECONDS)) {
                Optional<Long> quietFor = quietMillis(log);
                if (quietFor.isPresent() && quietFor.get() > CRASH_GRACE_MS) {
                    close();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Optional<Long> quietMillis(Path log) {
        try {
            return Files.isRegularFile(log)
                    ? Optional.of(System.currentTimeMillis() - Files.getLastModifiedTime(log).toMillis())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
