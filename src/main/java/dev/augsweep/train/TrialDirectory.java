package dev.augsweep.train;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.augsweep.storage.Storage;
import dev.augsweep.storage.StorePath;

/**
 * What a trial's output directory holds already: whose run (its checkpoint's or result.json's trial), how many epochs,
 * and the result row once it finished. {@code train --out} asks before it trains, so that another trial's run is
 * never overwritten unasked and a finished one is not trained again.
 *
 * @param owner      the trial whose run it is; null where the directory holds none
 * @param epochsDone epochs in its checkpoint (0 without one)
 * @param result     result.json's row, null before the trial finished
 */
public record TrialDirectory(String owner, int epochsDone, Config result) {
    public static TrialDirectory of(StorePath dir) {
        Checkpoint.Header header = Checkpoint.header(dir);
        Config result = result(dir.resolve(TrialTrainer.RESULT_FILE));
        String owner = header != null ? header.trialId()
                : result != null && result.hasPath("trial_id") ? result.getString("trial_id") : null;
        return new TrialDirectory(owner, header == null ? 0 : header.epochsDone(), result);
    }

    private static Config result(StorePath file) {
        if (!Storage.isFile(file)) {
            return null;
        }
        try {
            return ConfigFactory.parseString(Storage.readString(file));
        } catch (RuntimeException e) {
            return null; // damaged: training writes it anew
        }
    }

    /** Another trial's run is here. */
    public boolean heldByAnother(String trialId) {
        return owner != null && !owner.equals(trialId);
    }

    /** {@code trialId} finished here: its result is written and its checkpoint holds every epoch. */
    public boolean finished(String trialId, int epochs) {
        return trialId.equals(owner) && result != null && epochsDone >= epochs;
    }

    /** What is here, in words: "checkpoint at epoch 2, result.json". */
    public String describe() {
        return (epochsDone > 0 ? "checkpoint at epoch " + epochsDone : "no checkpoint")
                + (result != null ? ", " + TrialTrainer.RESULT_FILE : "");
    }

    /** Removes the run's files, for a new trial to start in the directory. */
    public static void clear(StorePath dir) {
        Storage.delete(dir.resolve(Checkpoint.FILE), false);
        Storage.delete(dir.resolve(TrialTrainer.RESULT_FILE), false);
    }
}
