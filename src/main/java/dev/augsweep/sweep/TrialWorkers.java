package dev.augsweep.sweep;

import dev.augsweep.device.AssignedGpu;
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
 * by the next task, so a worker decodes CIFAR-10 and warms libtorch once, not once per trial. Workers are pooled per
 * GPU: a worker started for an assigned GPU sees that GPU alone (its CUDA_VISIBLE_DEVICES, see
 * {@link AssignedGpu}) and serves only tasks assigned the same GPU, so there are never more of them than tasks this
 * JVM ran at once per GPU. A worker that died is not reused, nor one started under other augsweep or DJL system
 * properties than this JVM has now (a worker inherits them when it starts). A conservative retry gets a worker of its
 * own, with oneDNN limited to the safe ISA, closed after it. Each worker writes a fatal error log into a directory of
 * its own, from where the task moves it into the trial's directory.
 */
final class TrialWorkers {
    /** The lines said once per sweep in this JVM (see {@link TrialWorker#ONCE}). */
    private static final java.util.Set<String> SAID_ONCE = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** JVM options of workers, e.g. "-Xmx6g"; a cluster sets it with spark.executorEnv.AUGSWEEP_WORKER_JAVA_OPTS. */
    static final String OPTIONS_ENV = "AUGSWEEP_WORKER_JAVA_OPTS";
    /**
     * A worker that prints nothing for this long is taken for hung and killed (its trial is retried
     * conservatively). Training prints a line at least every 30 s of an epoch and after every evaluation; a kNN
     * evaluation of the full sets at width 1 on a slow CPU is the longest silence, a few minutes.
     */
    static final long MAX_SILENCE_MS = 30 * 60_000;
    private static final ArrayDeque<Worker> IDLE = new ArrayDeque<>();

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

    /** Runs the request in an idle worker (or a new one), forwarding its output lines to {@code out}. */
    static Result run(WorkerRequest request, PrintStream out) throws InterruptedException {
        Map<String, String> gpu = request.gpu() == null ? Map.of() : request.gpu().environment();
        Worker worker = request.conservative() ? Worker.start(true, gpu) : borrow(gpu);
        boolean reusable = false;
        try {
            Result result = worker.run(request, out);
            reusable = !(result instanceof Died) && !request.conservative();
            return result;
        } finally {
            if (reusable) {
                giveBack(worker);
            } else {
                worker.close();
            }
        }
    }

    /** An idle worker of this GPU (none: {@code gpu} is empty), else a new one; stale workers are closed. */
    private static synchronized Worker borrow(Map<String, String> gpu) {
        List<String> properties = ChildJvm.inheritedProperties();
        for (var it = IDLE.iterator(); it.hasNext(); ) {
            Worker w = it.next();
            if (!w.process.alive() || !w.properties.equals(properties)) {
                it.remove();
                w.close();
            } else if (w.gpu.equals(gpu)) {
                it.remove();
                return w;
            }
        }
        return Worker.start(false, gpu);
    }

    private static synchronized void giveBack(Worker worker) {
        IDLE.add(worker);
    }

    private static synchronized void closeIdle() {
        IDLE.forEach(Worker::close);
        IDLE.clear();
    }

    private static final class Worker {
        final WatchedProcess process;
        final ObjectOutputStream requests;
        final Path crashDir;
        final List<String> properties;
        final Map<String, String> gpu;

        private Worker(WatchedProcess process, Path crashDir, List<String> properties, Map<String, String> gpu)
                throws IOException {
            this.process = process;
            this.crashDir = crashDir;
            this.properties = properties;
            this.gpu = gpu;
            this.requests = new ObjectOutputStream(process.input());
            this.requests.flush();
        }

        /** @param gpu the environment that gives the worker its GPU (empty: the executor's own) */
        static Worker start(boolean conservative, Map<String, String> gpu) {
            try {
                Path crashDir = Files.createTempDirectory("augsweep-worker-");
                String options = System.getenv().getOrDefault(OPTIONS_ENV, "-Xmx4g");
                List<String> flags = new ArrayList<>(Arrays.asList(options.trim().split("\\s+")));
                flags.removeIf(String::isEmpty);
                Map<String, String> env = new HashMap<>(gpu);
                if (conservative) {
                    env.put("ONEDNN_MAX_CPU_ISA", WorkerRequest.SAFE_ISA);
                }
                List<String> properties = ChildJvm.inheritedProperties();
                Process p = ChildJvm.start(ChildJvm.command(TrialWorker.class, flags, crashDir, List.of()), env);
                return new Worker(new WatchedProcess(p, crashDir), crashDir, properties, gpu);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start a trial worker process", e);
            }
        }

        /** Ends the process; its crash directory goes with it unless a crash log waits there to be moved. */
        void close() {
            process.close();
            try {
                Files.deleteIfExists(crashDir);
            } catch (IOException e) {
                // not empty: the task moves the crash log out of it
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
                if (line.startsWith(TrialWorker.ONCE)) {
                    String text = line.substring(TrialWorker.ONCE.length());
                    if (SAID_ONCE.add(text)) {
                        out.println("[sweep] " + text);
                    }
                    continue;
                }
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
