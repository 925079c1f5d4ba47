package dev.augsweep.sweep;

import ai.djl.Device;
import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.data.CifarData;
import dev.augsweep.data.CifarFormatException;
import dev.augsweep.data.CifarSource;
import dev.augsweep.device.DeviceRecord;
import dev.augsweep.device.Devices;
import dev.augsweep.driver.HostName;
import dev.augsweep.eval.UntrainedControl;
import dev.augsweep.numerics.OneDnnGuard;
import dev.augsweep.results.ResultsLayout;
import dev.augsweep.results.TrialOutcome;
import dev.augsweep.storage.Storage;
import dev.augsweep.storage.StorePath;
import dev.augsweep.train.ConsoleProgress;
import dev.augsweep.train.TrainingDivergedException;
import dev.augsweep.train.TrialResult;
import dev.augsweep.train.TrialTrainer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One attempt at a trial, inside a {@link TrialWorker}: trains it (resuming from its checkpoint) and leaves the
 * outcome in the trial's directory. Failures that would repeat on any retry (divergence, a bad data path) become a
 * failed outcome rather than an error.
 */
final class TrialAttempt {
    private TrialAttempt() {
    }

    static TrialOutcome run(WorkerRequest request) {
        TrialConfig trial = request.trial();
        Storage.configure(request.storage());
        StorePath dir = request.trialDir();
        long started = System.currentTimeMillis();
        TrialOutcome outcome;
        try {
            CifarData data = CifarSource.load(trial.runtime().data(), trial.dataset(), trial.runtime().download());
            ConsoleProgress progress = new ConsoleProgress(System.out, "[" + trial.id() + "] ", TrialWorker.ONCE);
            TrialResult r = new TrialTrainer(FaultInjection.wrap(progress, request),
                    new UntrainedControl(ResultsLayout.ofTrialDir(dir).controlsDir()))
                    .train(trial, data, dir, request.stopAfter());
            List<Map<String, Object>> epochs = r.epochRows();
            Map<String, Object> row = new LinkedHashMap<>(r.row());
            Devices.Placement placement = Devices.select(trial.runtime().device());
            row.putAll(DeviceRecord.of(request.gpu(), placement, placement.device().equals(Device.cpu())
                    ? OneDnnGuard.apply(System.out).describe() : null).columns());
            outcome = new TrialOutcome(trial.id(), r.complete() ? TrialOutcome.FINISHED : TrialOutcome.PAUSED,
                    request.note(), HostName.NAME, r.device(), started, System.currentTimeMillis(), row, epochs);
        } catch (TrainingDivergedException | CifarFormatException | InvalidConfigException e) {
            String reason = request.note() == null ? e.getMessage() : e.getMessage() + " (" + request.note() + ")";
            outcome = TrialOutcome.failed(trial.id(), reason, HostName.NAME, trial.runtime().device(), started);
        }
        outcome.write(dir);
        return outcome;
    }
}
