package dev.augsweep.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.data.CifarSplit;
import dev.augsweep.method.Method;
import dev.augsweep.method.Methods;
import dev.augsweep.model.ImageInput;
import dev.augsweep.numerics.OneDnnGuard;
import dev.augsweep.numerics.ThreadGradients;
import dev.augsweep.storage.StorePath;

/** A trial's backbone as its checkpoint left it, embedding images as the kNN evaluation does (eval mode, L2-normalised). */
public final class TrainedBackbone implements AutoCloseable {
    private static final int BATCH = 500;
    private final NDManager manager;
    private final Method method;
    private final ImageInput input;

    private TrainedBackbone(NDManager manager, Method method, ImageInput input) {
        this.manager = manager;
        this.method = method;
        this.input = input;
    }

    public static TrainedBackbone load(TrialConfig trial, StorePath trialDir) {
        Checkpoint saved;
        try {
            saved = Checkpoint.read(trialDir);
            saved.checkTrial(trial.id());
        } catch (Checkpoint.Unusable e) {
            throw new IllegalArgumentException("no usable checkpoint of trial " + trial.id() + " in " + trialDir
                    + " (" + e.getMessage() + "); run its sweep first", e);
        }
        OneDnnGuard.apply(System.out);
        NDManager manager = NDManager.newBaseManager(Device.cpu());
        Method method = Methods.create(trial, saved.layout(), manager);
        try {
            saved.restoreInto(TrialTrainer.stateArrays(method,
                    new Sgd(Methods.trainedParameters(method), trial.momentum(), trial.weightDecay())));
        } catch (Checkpoint.Unusable e) {
            manager.close();
            throw new IllegalArgumentException("the checkpoint in " + trialDir + " does not fit trial " + trial.id(), e);
        }
        ThreadGradients.offOnThisThread();
        return new TrainedBackbone(manager, method, new ImageInput(BATCH, CifarSplit.SIDE, saved.layout()));
    }

    /** {@code count} interleaved (HWC) normalised images to their features, row-major. */
    public float[] features(float[] interleaved, int count) {
        ParameterStore ps = new ParameterStore(manager, false);
        float[] batch = new float[BATCH * CifarSplit.IMAGE_BYTES];
        float[] out = null;
        int dim = 0;
        for (int start = 0; start < count; start += BATCH) {
            int n = Math.min(BATCH, count - start);
            System.arraycopy(interleaved, start * CifarSplit.IMAGE_BYTES, batch, 0, n * CifarSplit.IMAGE_BYTES);
            try (NDManager step = manager.newSubManager()) {
                NDArray f = method.backbone().forward(ps, new NDList(input.images(step, batch, n)), false)
                        .singletonOrThrow().normalize(2, 1);
                if (out == null) {
                    dim = Math.toIntExact(f.getShape().get(1));
                    out = new float[count * dim];
                }
                System.arraycopy(f.toFloatArray(), 0, out, start * dim, n * dim);
            }
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
