package dev.augsweep.results;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import dev.augsweep.storage.Storage;
import dev.augsweep.storage.StorePath;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a trial ended, as a task reports it to the driver and leaves it beside its checkpoint ({@code outcome.json}):
 * the result row (null when it failed), the per-epoch rows, and where and when it ran.
 */
public record TrialOutcome(String trialId, String status, String reason, String host, String device,
                           long startedAtMillis, long finishedAtMillis, Map<String, Object> result,
                           List<Map<String, Object>> epochs) implements Serializable {
    public static final String FILE = "outcome.json";
    public static final String FINISHED = "finished";
    public static final String FAILED = "failed";
    /** Trained up to the epoch the task asked for, short of the trial's last (a schedule will decide the rest). */
    public static final String PAUSED = "paused";
    /** Paused at a rung and not promoted: the schedule ended it there (its metrics are the rung's). */
    public static final String STOPPED = "stopped";

    public static TrialOutcome failed(String trialId, String reason, String host, String device, long started) {
        return new TrialOutcome(trialId, FAILED, reason, host, device, started, System.currentTimeMillis(), null,
                List.of());
    }

    public boolean finished() {
        return FINISHED.equals(status);
    }

    public boolean paused() {
        return PAUSED.equals(status);
    }

    /** The epochs trained (0 when the trial failed before its first). */
    public int epochsDone() {
        Object done = result == null ? null : result.get("epochs_done");
        return done == null ? 0 : ((Number) done).intValue();
    }

    /** This paused outcome, made final: the schedule stopped the trial at its rung, for {@code why}. */
    public TrialOutcome stopped(String why, long at) {
        return new TrialOutcome(trialId, STOPPED, why, host, device, startedAtMillis, at, result, epochs);
    }

    /** Replaced whole (see Storage.write), so concurrent attempts never see half a file. */
    public void write(StorePath trialDir) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trial_id", trialId);
        m.put("status", status);
        m.put("reason", reason);
        m.put("host", host);
        m.put("device", device);
        m.put("started_at_ms", startedAtMillis);
        m.put("finished_at_ms", finishedAtMillis);
        m.put("result", result);
        m.put("epochs", epochs);
        Storage.writeString(trialDir.resolve(FILE),
                ConfigValueFactory.fromMap(m).render(ConfigRenderOptions.concise().setFormatted(true)));
    }

    public static boolean exists(StorePath trialDir) {
        return Storage.isFile(trialDir.resolve(FILE));
    }

    @SuppressWarnings("unchecked")
    public static TrialOutcome read(StorePath trialDir) {
        Config c = ConfigFactory.parseString(Storage.readString(trialDir.resolve(FILE)));
        Map<String, Object> m = c.root().unwrapped();
        List<Map<String, Object>> epochs = new ArrayList<>();
        for (Object e : (List<Object>) m.getOrDefault("epochs", List.of())) {
            epochs.add((Map<String, Object>) e);
        }
        return new TrialOutcome((String) m.get("trial_id"), (String) m.get("status"), (String) m.get("reason"),
                (String) m.get("host"), (String) m.get("device"), ((Number) m.get("started_at_ms")).longValue(),
                ((Number) m.get("finished_at_ms")).longValue(), (Map<String, Object>) m.get("result"), epochs);
    }
}
