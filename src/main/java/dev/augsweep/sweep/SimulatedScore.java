package dev.augsweep.sweep;

import dev.augsweep.config.TrialConfig;
import java.io.Serializable;

/**
 * What a simulated trial scores instead of training: its kNN top-1 at an epoch, from its settings. Shipped to
 * executors with the task, so serialisable.
 */
@FunctionalInterface
public interface SimulatedScore extends Serializable {
    double knn(TrialConfig trial, int epoch);
}
