package dev.augsweep.sweep;

import dev.augsweep.jvm.ChildJvm;
import dev.augsweep.jvm.WatchedProcess;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link TrialWorker} processes of this JVM (an executor, or the driver in local mode): idle ones are reused
 * by the next task, so a worker decodes CIFAR-10 and warms libtorch once, not once per trial. A worker that died
 * is not reused. Conservative retries get workers of their own, with oneDNN limited to the safe ISA.
 */
final class TrialWorkers {
    /** JVM options of workers, e.g. "-Xmx6g"; a cluster sets it with spark.executorEnv.AUGSWEEP_WORKER_JAVA_OPTS. */
    static final String OPTIONS_ENV = "AUGSWEEP_WORKER_JAVA_OPTS";
    /**
     * A worker that prints nothing for this long is taken for hung and killed (its trial is retried
     * conservatively). Training prints a line at least every 30 s of an epoch and after every evaluation; a kNN
     * evaluation of the full sets at width 1 on a slow CPU is the longest silence, a few minutes.
     */
    static final long MAX_SILENCE_MS = 30 * 60_000;
    private static final Map<String, ArrayDeque<Worker>> IDLE = new HashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TrialWorkers::closeIdle, "close-trial-workers"));
    }

    private TrialWorkers() {
    }

    /** How an attempt ended: the worker reported done or an error, or it died (then {@code exit} says how). */
    sealed interface Result {
    }

    record Done() implements Result {
    }

    record Failed(String message) implements Result {
    }

    record Died(WatchedProcess.Exit exit) implements Result {
    }

    /** Runs the request in an idle worker of its kind (or a new one), forwarding its output lines to {@code out}. */
    static Result run(WorkerRequest request, Path crashDir, PrintStream out) throws InterruptedException {
        Worker worker = borrow(crashDir, request.conservative());
        boolean reusable = false;
        try {
            Result result = worker.run(request, out);
            reusable = !(result instanceof Died);
            return result;
        } finally {
            if (reusable) {
                giveBack(worker);
            } else {
                worker.process.close();
            }
        }
    }

    private static synchronized Worker borrow(Path crashDir, boolean conservative) {
        ArrayDeque<Worker> idle = IDLE.getOrDefault(key(crashDir, conservative), new ArrayDeque<>());
        while (!idle.isEmpty()) {
            Worker w = idle.poll();
            if (w.process.alive()) {
                return w;
            }
        }
        return Worker.start(crashDir, conservative);
    }

    private static synchronized void giveBack(Worker worker) {
        IDLE.computeIfAbsent(key(worker.crashDir, worker.conservative), k -> new ArrayDeque<>()).add(worker);
    }

    private static synchronized void closeIdle() {
        IDLE.values().forEach(workers -> workers.forEach(w -> w.process.close()));
        IDLE.clear();
    }

    private static String key(Path crashDir, boolean conservative) {
        return crashDir + "|" + conservative;
    }

    private static final class Worker {
        final WatchedProcess process;
        final ObjectOutputStream requests;
        final Path crashDir;
        final boolean conservative;

        private Worker(WatchedProcess process, Path crashDir, boolean conservative) throws IOException {
            this.process = process;
            this.requests = new ObjectOutputStream(process.input());
            this.requests.flush();
            this.crashDir = crashDir;
            this.conservative = conservative;
        }

        static Worker start(Path crashDir, boolean conservative) {
            try {
                Files.createDirectories(crashDir);
                String options = System.getenv().getOrDefault(OPTIONS_ENV, "-Xmx4g");
                List<String> flags = new ArrayList<>(Arrays.asList(options.trim().split("\\s+")));
                flags.removeIf(String::isEmpty);
                Map<String, String> env = conservative ? Map.of("ONEDNN_MAX_CPU_ISA", WorkerRequest.SAFE_ISA) : Map.of();
                Process p = ChildJvm.start(ChildJvm.command(TrialWorker.class, flags, crashDir, List.of()), env);
                return new Worker(new WatchedProcess(p, crashDir), crashDir, conservative);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start a trial worker process", e);
            }
        }

        Result run(WorkerRequest request, PrintStream out) throws InterruptedException {
            try {
                requests.reset();
                requests.writeObject(request);
                requests.flush();
            } catch (IOException e) {
                // The worker died between tasks; its exit says how.
                return new Died(process.awaitExit());
            }
            String line;
            while ((line = process.readLine(MAX_SILENCE_MS)) != null) {
                if (line.startsWith(TrialWorker.STATUS)) {
                    String status = line.substring(TrialWorker.STATUS.length());
                    return status.equals("done") ? new Done() : new Failed(status.replaceFirst("^error ", ""));
                }
                out.println(line);
            }
            return new Died(process.awaitExit());
        }
    }
}
