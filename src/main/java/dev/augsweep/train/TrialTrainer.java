package dev.augsweep.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.augsweep.augment.TwoViewBatches;
import dev.augsweep.augment.ViewBatch;
import dev.augsweep.augment.ViewBatchPool;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.data.CifarData;
import dev.augsweep.device.CpuFacts;
import dev.augsweep.device.Devices;
import dev.augsweep.eval.KnnEvaluator;
import dev.augsweep.eval.UntrainedControl;
import dev.augsweep.method.Method;
import dev.augsweep.method.Methods;
import dev.augsweep.model.MemoryLayout;
import dev.augsweep.numerics.DevicePlan;
import dev.augsweep.numerics.Numerics;
import dev.augsweep.numerics.OneDnnGuard;
import dev.augsweep.numerics.ThreadGradients;
import dev.augsweep.storage.Storage;
import dev.augsweep.storage.StorePath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Trains one trial end to end: views produced ahead on CPU threads, SGD with the cosine schedule, kNN after
 * evaluated epochs, a checkpoint after every epoch, and resumption from the output directory's checkpoint.
 */
public final class TrialTrainer {
    public static final String RESULT_FILE = "result.json";
    private static final double STEP_REPORT_SECONDS = 30;

    private final ProgressListener progress;
    private final UntrainedControl control;

    /** A trainer whose untrained controls are kept in this JVM only. */
    public TrialTrainer(ProgressListener progress) {
        this(progress, new UntrainedControl(null));
    }

    public TrialTrainer(ProgressListener progress, UntrainedControl control) {
        this.progress = progress;
        this.control = control;
    }

    /** Trains the whole trial (resuming from {@code outDir}'s checkpoint when there is one). */
    public TrialResult train(TrialConfig trial, CifarData fullData, StorePath outDir) {
        return train(trial, fullData, outDir, trial.epochs());
    }

    /**
     * Trains up to epoch {@code stopAfter} of the trial's schedule (the cosine schedule always spans all of the
     * trial's epochs, so a trial continued later goes on exactly as an uninterrupted one), resuming from
     * {@code outDir}'s checkpoint when there is one. result.json is written once the last epoch is done.
     */
    public TrialResult train(TrialConfig trial, CifarData fullData, StorePath outDir, int stopAfter) {
        CifarData data = fullData.limit(trial.trainLimit(), trial.testLimit());
        Checkpoint saved = readCheckpoint(trial, outDir);
        // A resumed trial keeps the numerics it started with: libtorch's reductions depend on the thread count.
        DevicePlan plan = DevicePlan.forTrial(trial, saved == null ? null
                : new DevicePlan.Resumed(saved.threads(), saved.layout()));
        progress.once(plan.deviceNote());
        plan.notes().forEach(progress::message);
        RanOn ranOn = new RanOn(CpuFacts.identity(), plan.kernels());
        MemoryLayout layout = plan.memoryLayout();
        int augmentThreads = plan.augmentThreads();
        ExecutorService augmentPool = Executors.newFixedThreadPool(augmentThreads, r -> {
            Thread t = new Thread(r, "augment");
            t.setDaemon(true);
            return t;
        });
        try (NDManager manager = NDManager.newBaseManager(plan.device())) {
            long c0 = System.nanoTime();
            double init = control.top1(trial, data, layout, manager);
            double controlSeconds = (System.nanoTime() - c0) / 1e9;
            progress.message(String.format(Locale.ROOT, "untrained control: kNN top-1 %.2f%% (%.1f s)", 100 * init,
                    controlSeconds));
            Method method = Methods.create(trial, layout, manager);
            ParameterStore ps = new ParameterStore(manager, false);
            Sgd sgd = new Sgd(Methods.trainedParameters(method), trial.momentum(), trial.weightDecay());
            Map<String, NDArray> state = stateArrays(method, sgd);
            List<EpochMetrics> history = new ArrayList<>();
            int start = restore(saved, trial, method, sgd, state, history);
            KnnEvaluator evaluator = new KnnEvaluator(data, trial.augmentation(), trial.knnK(), trial.knnTemperature(),
                    layout);
            int steps = data.train().size() / trial.batchSize();
            TrainingStep stepper = new TrainingStep(method, ps, sgd, manager, trial.batchSize(), layout,
                    plan.autocast());
            ViewBatchPool buffers = new ViewBatchPool(trial.batchSize(), plan.quantisedViews() ? trial.augmentation()
                    : null);
            Numerics numerics = plan.numerics();
            progress.started(trial.id(), start, trial.epochs(), steps, plan.describe(), start > 0);
            double sessionSeconds = 0;
            int end = Math.min(stopAfter, trial.epochs());
            for (int epoch = start; epoch < end; epoch++) {
                double lr = CosineSchedule.lr(trial.lr(), epoch, trial.epochs());
                sgd.setLearningRate(lr);
                long t0 = System.nanoTime();
                double loss = trainEpoch(trial, data, stepper, buffers, sgd, epoch, augmentPool, augmentThreads,
                        plan.lossReadEvery(), manager);
                double trainSeconds = (System.nanoTime() - t0) / 1e9;
                Double knn = null;
                long t1 = System.nanoTime();
                if ((epoch + 1) % trial.evalEvery() == 0 || epoch + 1 == trial.epochs() || epoch + 1 == end) {
                    knn = evaluator.top1(method.backbone(), ps, manager);
                }
                double evalSeconds = (System.nanoTime() - t1) / 1e9;
                EpochMetrics m = new EpochMetrics(epoch + 1, loss, knn, lr, trainSeconds, evalSeconds,
                        steps * (double) trial.batchSize() / trainSeconds, epoch == start && start > 0, ranOn);
                history.add(m);
                saveCheckpoint(trial, outDir, epoch + 1, sgd, method, history, state, numerics);
                sessionSeconds += trainSeconds + evalSeconds;
                int done = epoch + 1 - start;
                progress.epoch(m, trial.epochs(), TrialResult.best(history),
                        sessionSeconds / done * (trial.epochs() - epoch - 1));
            }
            TrialResult result = new TrialResult(trial, data.train().size(), data.test().size(), numerics, history,
                    init, controlSeconds);
            if (result.complete()) {
                writeResult(outDir, result);
            }
            return result;
        } finally {
            augmentPool.shutdownNow();
        }
    }

    private double trainEpoch(TrialConfig trial, CifarData data, TrainingStep stepper, ViewBatchPool buffers,
                              Sgd sgd, int epoch, ExecutorService pool, int augmentThreads, int lossReadEvery,
                              NDManager manager) {
        TwoViewBatches batches = new TwoViewBatches(data.train(), trial.augmentation(), trial.seed(), epoch,
                buffers, pool, augmentThreads + 1);
        long start = System.nanoTime();
        long lastReport = start;
        try (LossWindow losses = new LossWindow(manager, lossReadEvery, "epoch " + (epoch + 1) + " (lr "
                + sgd.learningRate() + ")")) {
            while (batches.hasNext()) {
                ViewBatch batch = batches.next();
                stepper.run(batch, losses);
                buffers.release(batch); // the step copied the views into its own buffers
                long now = System.nanoTime();
                if ((now - lastReport) / 1e9 > STEP_REPORT_SECONDS) {
                    progress.step(epoch, losses.steps(), batches.batches(), losses.mean(),
                            losses.steps() * (double) trial.batchSize() / ((now - start) / 1e9));
                    lastReport = now;
                }
            }
            return losses.mean();
        } finally {
            batches.cancel();
        }
    }

    /** The checkpoint in {@code outDir}, or null when there is none or it cannot be used (the trial starts over). */
    private Checkpoint readCheckpoint(TrialConfig trial, StorePath outDir) {
        if (outDir == null || !Checkpoint.exists(outDir)) {
            return null;
        }
        try {
            Checkpoint c = Checkpoint.read(outDir);
            c.checkTrial(trial.id());
            return c;
        } catch (Checkpoint.Unusable e) {
            progress.message("checkpoint in " + outDir + " cannot be used (" + e.getMessage()
                    + "); starting this trial over from epoch 1");
            return null;
        }
    }

    /** Restores a checkpoint into the live state; returns the epochs it had done (0 without one). */
    private int restore(Checkpoint saved, TrialConfig trial, Method method, Sgd sgd, Map<String, NDArray> state,
                        List<EpochMetrics> history) {
        if (saved == null) {
            return 0;
        }
        try {
            saved.restoreInto(state);
        } catch (Checkpoint.Unusable e) {
            progress.message("checkpoint of " + trial.id() + " cannot be used (" + e.getMessage()
                    + "); starting this trial over from epoch 1");
            return 0;
        }
        sgd.restoreLearningRate(saved.sgdLearningRate());
        method.restoreCounters(saved.counters());
        history.addAll(saved.metrics());
        return saved.epochsDone();
    }

    private static void saveCheckpoint(TrialConfig trial, StorePath outDir, int epochsDone, Sgd sgd, Method method,
                                       List<EpochMetrics> history, Map<String, NDArray> state, Numerics numerics) {
        if (outDir == null) {
            return;
        }
        try {
            Checkpoint.capture(trial.id(), epochsDone, sgd.learningRate(), numerics.threads(), numerics.layout(),
                    method.counters(), history, state).write(outDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint to " + outDir, e);
        }
    }

    private static void writeResult(StorePath outDir, TrialResult result) {
        if (outDir == null) {
            return;
        }
        Storage.writeString(outDir.resolve(RESULT_FILE), result.toJson());
    }

    /**
     * The trial's untrained control alone, without training it: for trials recorded before controls were measured.
     * It computes in NCHW (the layout changes only fp32 rounding, and NCHW is safe on every CPU).
     */
    public static double untrainedControl(TrialConfig trial, CifarData fullData, UntrainedControl control) {
        Devices.configureThreads(trial.runtime().threads());
        Device device = Devices.select(trial.runtime().device()).device();
        if (device.equals(Device.cpu())) {
            OneDnnGuard.apply(System.out, new OneDnnGuard.Shape(trial.width(), MemoryLayout.NCHW, trial.batchSize()));
        }
        ThreadGradients.offOnThisThread();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            return control.top1(trial, fullData.limit(trial.trainLimit(), trial.testLimit()), MemoryLayout.NCHW,
                    manager);
        }
    }

    /** Every array a checkpoint holds, by a stable name. */
    static Map<String, NDArray> stateArrays(Method method, Sgd sgd) {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        for (Map.Entry<String, Block> b : method.checkpointBlocks().entrySet()) {
            for (Pair<String, Parameter> p : b.getValue().getParameters()) {
                arrays.put(b.getKey() + "/" + p.getKey(), p.getValue().getArray());
            }
        }
        sgd.states().forEach((name, s) -> arrays.put("sgd/" + name, s));
        arrays.putAll(method.extraArrays());
        return arrays;
    }
}
