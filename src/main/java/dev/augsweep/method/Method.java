package dev.augsweep.method;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.Map;

/**
 * A self-supervised method: its networks on top of the shared backbone and its loss on two views. One
 * implementation per method, as solo-learn keeps them; losses themselves are pure functions beside them.
 */
public interface Method {
    String name();

    /** The encoder that kNN evaluates: the 512-d (at width 1) pooled features. */
    Block backbone();

    /** Blocks whose parameters SGD trains, in a fixed order (their parameters get momentum and weight decay). */
    Map<String, Block> trainedBlocks();

    /** Every block whose state a checkpoint must hold (the trained ones and, for MoCo, the key encoder). */
    Map<String, Block> checkpointBlocks();

    /** Arrays outside any block that a checkpoint must hold (MoCo's queue); they are restored in place. */
    default Map<String, NDArray> extraArrays() {
        return Map.of();
    }

    /** Scalar state that a checkpoint must hold (MoCo's queue pointer). */
    default Map<String, Long> counters() {
        return Map.of();
    }

    default void restoreCounters(Map<String, Long> counters) {
    }

    /** Work before gradients are recorded (MoCo's momentum update and key encoding). */
    default void beforeLoss(ParameterStore ps, NDArray view0, NDArray view1) {
    }

    /** The training loss of one batch of view pairs; called while gradients are recorded. */
    NDArray loss(ParameterStore ps, NDArray view0, NDArray view1);
}
