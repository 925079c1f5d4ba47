package dev.augsweep.sweep;

import dev.augsweep.device.Devices;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.ObjectInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The process a sweep trains in. Each Spark task slot keeps one (see {@link TrialWorkers}), so a native fault in
 * libtorch kills this process, never the executor or, in local mode, the driver. Reads {@link WorkerRequest}s
 * from standard input, runs each as a {@link TrialAttempt} (its progress lines go to standard output), and after
 * each prints one status line: {@code @@augsweep-worker done} (the outcome is in the trial's directory) or
 * {@code @@augsweep-worker error MESSAGE} (a failure Spark should retry). Ends at the end of its input, and when
 * the process that started it is gone.
 */
public final class TrialWorker {
    static final String STATUS = "@@augsweep-worker ";
    /** Marks a line the driver says once per sweep however many trials print it (where they train and why). */
    static final String ONCE = "@@augsweep-once ";

    private TrialWorker() {
    }

    public static void main(String[] args) throws Exception {
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8));
        // Ctrl-C in a terminal reaches every process of the group: the driver decides, and this one ends with it.
        Signal.handle(new Signal("INT"), SignalHandler.SIG_IGN);
        exitWithParent();
        ObjectInputStream in = new ObjectInputStream(System.in);
        while (true) {
            WorkerRequest request;
            try {
                request = (WorkerRequest) in.readObject();
            } catch (EOFException e) {
                break;
            }
            try {
                TrialAttempt.run(request);
                Devices.releaseCachedMemory();
                System.out.println(STATUS + "done");
            } catch (RuntimeException | Error e) {
                e.printStackTrace(System.out);
                System.out.println(STATUS + "error " + String.valueOf(e).replace('\n', ' '));
            }
        }
        System.exit(0);
    }

    /** An executor killed outright cannot close our input; without this the trial would train on, orphaned. */
    private static void exitWithParent() {
        ProcessHandle.current().parent().ifPresent(parent -> {
            Thread t = new Thread(() -> {
                parent.onExit().join();
                Runtime.getRuntime().halt(3);
            }, "parent-watch");
            t.setDaemon(true);
            t.start();
        });
    }
}
