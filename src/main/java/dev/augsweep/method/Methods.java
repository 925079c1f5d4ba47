package dev.augsweep.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.augsweep.augment.Seeds;
import dev.augsweep.config.MethodParams;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.model.CifarResNet18;
import dev.augsweep.model.Heads;
import dev.augsweep.model.MemoryLayout;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Builds and initialises the method a trial names, with its seed deciding every initial weight. */
public final class Methods {
    private static final Shape IMAGE = new Shape(2, 3, 32, 32);

    private Methods() {
    }

    /** @param layout the memory layout the networks compute in (MoCo's SplitBatchNorm restores it) */
    public static Method create(TrialConfig trial, MemoryLayout layout, NDManager manager) {
        return create(trial, layout, manager, DataType.FLOAT32);
    }

    /**
     * @param type FLOAT32 for training; FLOAT64 lets a test compare one step with PyTorch's free of the rounding
     *             noise that batch norm's backward pass magnifies (the paper trains in fp32)
     */
    public static Method create(TrialConfig trial, MemoryLayout layout, NDManager manager, DataType type) {
        MethodParams p = trial.methodParams();
        int f = CifarResNet18.featureDim(trial.width());
        SplittableRandom rng = new SplittableRandom(Seeds.mix(trial.seed(), 0x1417));
        Block backbone = backbone(trial, layout, manager, rng, type);
        return switch (trial.method()) {
            case "simclr" -> new SimClr(backbone,
                    init(Heads.projection(f, p.simclrProjectionDim(), rng), manager, new Shape(2, f), type),
                    p.simclrTemperature());
            case "simsiam" -> new SimSiam(backbone,
                    init(Heads.simsiamProjector(f, p.simsiamHiddenDim(), rng), manager, new Shape(2, f), type),
                    init(Heads.simsiamPredictor(p.simsiamHiddenDim(), p.simsiamPredictorDim(), rng), manager,
                            new Shape(2, p.simsiamHiddenDim()), type));
            case "barlowtwins" -> new BarlowTwins(backbone,
                    init(Heads.barlowProjector(f, p.barlowProjectionDim(), rng), manager, new Shape(2, f), type),
                    p.barlowLambda());
            case "moco" -> moco(trial, layout, manager, backbone, rng, type);
            default -> throw new IllegalArgumentException("unknown method " + trial.method());
        };
    }

    /**
     * The trial's backbone exactly as its training starts: drawn first from the seed's stream, so it does not
     * depend on the heads (the untrained control scores this network).
     */
    public static Block initialBackbone(TrialConfig trial, MemoryLayout layout, NDManager manager) {
        return backbone(trial, layout, manager, new SplittableRandom(Seeds.mix(trial.seed(), 0x1417)), DataType.FLOAT32);
    }

    /** The number of batch-norm splits of the trial's backbone: MoCo's simulated devices, else 1. */
    public static int batchNormSplits(TrialConfig trial) {
        return trial.method().equals("moco") ? trial.methodParams().mocoSplitBatchNorm() : 1;
    }

    private static Block backbone(TrialConfig trial, MemoryLayout layout, NDManager manager, SplittableRandom rng,
                                  DataType type) {
        return init(CifarResNet18.build(trial.width(), trial.stemRelu(), batchNormSplits(trial), layout, rng), manager,
                IMAGE, type);
    }

    private static Method moco(TrialConfig trial, MemoryLayout layout, NDManager manager, Block backbone,
                               SplittableRandom rng, DataType type) {
        MethodParams p = trial.methodParams();
        int f = CifarResNet18.featureDim(trial.width());
        SplittableRandom keyRng = new SplittableRandom(Seeds.mix(trial.seed(), 0x1417));
        Block keyBackbone = init(CifarResNet18.build(trial.width(), trial.stemRelu(), p.mocoSplitBatchNorm(), layout,
                keyRng),
                manager, IMAGE, type);
        Block head = init(Heads.projection(f, p.mocoProjectionDim(), rng), manager, new Shape(2, f), type);
        // Same seed, same order of draws: the key encoder starts as an exact copy of the query encoder.
        Block keyHead = init(Heads.projection(f, p.mocoProjectionDim(), keyRng), manager, new Shape(2, f), type);
        return new MoCo(backbone, head, keyBackbone, keyHead,
                randomQueue(manager, p.mocoQueueSize(), p.mocoProjectionDim(), trial.seed()).toType(type, false),
                p.mocoMomentum(), p.mocoTemperature(), p.mocoBatchShuffle() ? new KeyShuffle(trial.seed(), layout) : null);
    }

    /** Normalised Gaussian rows, as lightly's memory bank starts. */
    static NDArray randomQueue(NDManager manager, int size, int dim, long seed) {
        SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, 0x9e3e));
        float[] values = new float[size * dim];
        for (int r = 0; r < size; r++) {
            double norm = 0;
            for (int c = 0; c < dim; c++) {
                double g = gaussian(rng);
                values[r * dim + c] = (float) g;
                norm += g * g;
            }
            float inv = (float) (1 / Math.sqrt(norm));
            for (int c = 0; c < dim; c++) {
                values[r * dim + c] *= inv;
            }
        }
        return manager.create(values, new Shape(size, dim));
    }

    private static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static Block init(Block block, NDManager manager, Shape input, DataType type) {
        block.initialize(manager, type, input);
        return block;
    }

    /** The parameters SGD updates, named block/parameter, in the method's fixed order. */
    public static Map<String, Parameter> trainedParameters(Method method) {
        Map<String, Parameter> params = new LinkedHashMap<>();
        method.trainedBlocks().forEach((blockName, block) -> {
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    params.put(blockName + "/" + p.getKey(), p.getValue());
                }
            }
        });
        return params;
    }
}
