package dev.augsweep.train;

import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.device.CpuFacts;
import dev.augsweep.numerics.Numerics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a trial reports: the paper's metric (best kNN top-1), its untrained control, and everything needed to judge
 * the run. A trial stopped before its last epoch (a schedule paused it) reports the epochs it did.
 *
 * @param knnTop1Init    the untrained control in [0, 1] (the same network before training), null where not measured
 * @param controlSeconds what the control cost this run (near 0 when another trial of the seed had computed it)
 */
public record TrialResult(TrialConfig trial, int trainImages, int testImages, Numerics numerics,
                          List<EpochMetrics> epochs, Double knnTop1Init, double controlSeconds) {

    /** Whether every epoch of the trial's schedule is done. */
    public boolean complete() {
        return !epochs.isEmpty() && epochs.get(epochs.size() - 1).epoch() == trial.epochs();
    }

    public String device() {
        return numerics.device();
    }

    public double knnTop1Best() {
        return best().knnTop1();
    }

    public int bestEpoch() {
        return best().epoch();
    }

    /** The last evaluated epoch's accuracy (the last epoch is always evaluated). */
    public double knnTop1Final() {
        return epochs.stream().filter(e -> e.knnTop1() != null).reduce((a, b) -> b).orElseThrow().knnTop1();
    }

    public double seconds() {
        return epochs.stream().mapToDouble(e -> e.trainSeconds() + e.evalSeconds()).sum();
    }

    public double imagesPerSecond() {
        double train = epochs.stream().mapToDouble(EpochMetrics::trainSeconds).sum();
        long images = (long) epochs.size() * (trainImages / trial.batchSize()) * trial.batchSize();
        return train > 0 ? images / train : 0;
    }

    private EpochMetrics best() {
        EpochMetrics best = best(epochs);
        if (best == null) {
            throw new IllegalStateException("no epoch of trial " + trial.id() + " was evaluated");
        }
        return best;
    }

    /** The evaluated epoch with the highest kNN accuracy, or null when none was evaluated yet. */
    static EpochMetrics best(List<EpochMetrics> epochs) {
        EpochMetrics best = null;
        for (EpochMetrics e : epochs) {
            if (e.knnTop1() != null && (best == null || e.knnTop1() > best.knnTop1())) {
                best = e;
            }
        }
        return best;
    }

    /** The flat row of result.json and of the results table (accuracies in percent). */
    public Map<String, Object> row() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trial_id", trial.id());
        m.put("dataset", trial.dataset().key());
        m.put("method", trial.method());
        m.put("augs", trial.augs());
        m.put("strength", trial.strength());
        m.put("seed", trial.seed());
        m.put("release", trial.release());
        m.put("epochs", trial.epochs());
        m.put("epochs_done", epochs.get(epochs.size() - 1).epoch());
        m.put("batch_size", trial.batchSize());
        m.put("width", trial.width());
        m.put("train_limit", trainImages);
        m.put("test_limit", testImages);
        m.put("lr", trial.lr());
        m.put("knn_top1_best", 100 * knnTop1Best());
        m.put("knn_top1_init", knnTop1Init == null ? null : 100 * knnTop1Init);
        m.put("best_epoch", bestEpoch());
        m.put("knn_top1_final", 100 * knnTop1Final());
        m.put("loss_first_epoch", epochs.get(0).loss());
        m.put("loss_final_epoch", epochs.get(epochs.size() - 1).loss());
        m.put("seconds", seconds());
        m.put("images_per_second", imagesPerSecond());
        m.put("device", numerics.device());
        m.put("threads", numerics.threads());
        m.put("layout", numerics.layout().key());
        m.put("layout_note", numerics.layoutNote());
        m.put("view_upload", numerics.viewUpload());
        m.put("precision", trial.precision().key());
        m.put("cpu_model", RanOn.models(epochs));
        m.put("cpu_cores", CpuFacts.here().cores());
        m.put("epoch_spans", RanOn.spans(epochs));
        return m;
    }

    public static Map<String, Object> epochRow(EpochMetrics e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", e.epoch());
        m.put("loss", e.loss());
        m.put("knn_top1", e.knnTop1() == null ? null : 100 * e.knnTop1());
        m.put("lr", e.lr());
        m.put("train_seconds", e.trainSeconds());
        m.put("eval_seconds", e.evalSeconds());
        m.put("images_per_second", e.imagesPerSecond());
        m.put("resumed", e.resumed());
        m.put("cpu_model", e.ranOn().cpuModel());
        m.put("kernels", e.ranOn().kernels());
        return m;
    }

    /** Every epoch's row, led by epoch 0, the untrained control, where it was measured. */
    public List<Map<String, Object>> epochRows() {
        List<Map<String, Object>> rows = new ArrayList<>();
        if (knnTop1Init != null) {
            Map<String, Object> control = new LinkedHashMap<>();
            control.put("epoch", 0);
            control.put("knn_top1", 100 * knnTop1Init);
            control.put("eval_seconds", controlSeconds);
            control.put("resumed", false);
            rows.add(control);
        }
        epochs.forEach(e -> rows.add(epochRow(e)));
        return rows;
    }

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>(row());
        m.put("per_epoch", epochRows());
        return ConfigValueFactory.fromMap(m).render(ConfigRenderOptions.concise().setFormatted(true)) + "\n";
    }
}
