package dev.augsweep.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * Ctrl-C at any moment (Spark starting, a trial training, results being committed) ends a command with one line and
 * exit status 130, not with the traces of every thread that Spark's and Hadoop's shutdown hooks interrupt. Nothing is
 * lost by stopping at once: every trial resumes from its checkpoint, an outcome a task wrote but no driver recorded
 * is recorded by the next run, and a Delta commit either happened or did not. The JVM halts without shutdown hooks;
 * a lease on HDFS or an object store is taken over by the next run after a few seconds. A sweep's worker processes
 * ignore the signal (a terminal sends it to all of them) and end with this one.
 */
final class Interruption {
    /** What the shell reports for a process ended by SIGINT. */
    static final int EXIT = 130;
    private static final AtomicBoolean STOPPING = new AtomicBoolean();

    private Interruption() {
    }

    /**
     * From now on Ctrl-C prints {@code message} alone on {@code err} and ends the JVM.
     *
     * @param message "stopped; run the same command again to resume" for commands that resume, "stopped" otherwise
     */
    static void install(PrintStream err, String message) {
        Signal.handle(new Signal("INT"), signal -> stop(err, message));
    }

    private static void stop(PrintStream err, String message) {
        if (!STOPPING.compareAndSet(false, true)) {
            return;
        }
        PrintStream silent = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(silent); // whatever other threads print while this one ends the JVM goes nowhere
        System.setErr(silent);
        err.println();
        err.println(message);
        err.flush();
        Runtime.getRuntime().halt(EXIT);
    }
}
