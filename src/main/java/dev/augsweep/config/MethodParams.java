package dev.augsweep.config;

import java.io.Serializable;

/** Method-specific hyperparameters (heads, temperatures, queue), from the protocol unless overridden. */
public record MethodParams(
        double simclrTemperature,
        int simclrProjectionDim,
        double mocoMomentum,
        int mocoQueueSize,
        double mocoTemperature,
        int mocoProjectionDim,
        int mocoSplitBatchNorm,
        boolean mocoBatchShuffle,
        int simsiamHiddenDim,
        int simsiamPredictorDim,
        double barlowLambda,
        int barlowProjectionDim) implements Serializable {
}
