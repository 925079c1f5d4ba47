package dev.augsweep.sweep;

import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.data.CifarData;
import dev.augsweep.data.CifarFormatException;
import dev.augsweep.data.CifarSource;
import dev.augsweep.train.ConsoleProgress;
import dev.augsweep.train.TrainingDivergedException;
import dev.augsweep.train.TrialResult;
import dev.augsweep.train.TrialTrainer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.resource.ResourceInformation;

/**
 * The executor side of a sweep: one Spark task trains and evaluates one trial. A trial that already has an
 * outcome (an earlier attempt finished it) is not trained again; an interrupted one resumes from its checkpoint.
 * Failures that would repeat on any retry (divergence, bad data path) become a failed outcome instead of an error.
 */
public final class TrialTask implements Function<TrialConfig, TrialOutcome> {
    private final String resultsRoot;

    public TrialTask(Path resultsRoot) {
        this.resultsRoot = resultsRoot.toString();
    }

    @Override
    public TrialOutcome call(TrialConfig trial) {
        Path dir = new ResultsLayout(Path.of(resultsRoot)).trialDir(trial.id());
        if (TrialOutcome.exists(dir)) {
            return TrialOutcome.read(dir);
        }
        TrialConfig placed = placeOnAssignedResources(trial);
        long started = System.currentTimeMillis();
        String host = Host.NAME;
        TrialOutcome outcome;
        try {
            CifarData data = CifarSource.load(placed.runtime().data(), placed.runtime().download());
            ConsoleProgress progress = new ConsoleProgress(System.out, "[" + trial.id() + "] ");
            TrialResult r = new TrialTrainer(FaultInjection.wrap(progress)).train(placed, data, dir);
            List<Map<String, Object>> epochs = new ArrayList<>();
            r.epochs().forEach(e -> epochs.add(TrialResult.epochRow(e)));
            outcome = new TrialOutcome(trial.id(), TrialOutcome.FINISHED, null, host, r.device(), started,
                    System.currentTimeMillis(), r.row(), epochs);
        } catch (TrainingDivergedException | CifarFormatException | InvalidConfigException e) {
            outcome = TrialOutcome.failed(trial.id(), e.getMessage(), host, placed.runtime().device(), started);
        }
        outcome.write(dir);
        return outcome;
    }

    /** The GPU Spark assigned to this task (spark.task.resource.gpu.amount), or the CPU with spark.task.cpus threads. */
    static TrialConfig placeOnAssignedResources(TrialConfig trial) {
        TaskContext task = TaskContext.get();
        if (task == null) {
            return trial;
        }
        TrialConfig.Runtime r = trial.runtime();
        int threads = r.threads() > 0 ? r.threads() : task.cpus();
        ResourceInformation gpu = task.resources().get("gpu").getOrElse(() -> null);
        String device = gpu != null && gpu.addresses().length > 0 ? "gpu:" + gpu.addresses()[0] : r.device();
        return trial.withRuntime(r.withDevice(device, threads));
    }

    /** Looked up once per executor JVM: a lookup can wait on DNS. */
    private static final class Host {
        static final String NAME = hostName();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
