package dev.augsweep.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * Forward passes through chains of blocks in training mode; under a mixed-precision step each chain runs under
 * autocast and hands its output to the loss in fp32.
 */
final class Networks {
    private Networks() {
    }

    static NDArray forward(ParameterStore ps, NDArray input, Block... chain) {
        return PrecisionScope.forward(() -> {
            NDList x = new NDList(input);
            for (Block block : chain) {
                x = block.forward(ps, x, true);
            }
            return x.singletonOrThrow();
        });
    }
}
