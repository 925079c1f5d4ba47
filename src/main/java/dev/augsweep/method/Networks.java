package dev.augsweep.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/** Forward passes through chains of blocks in training mode. */
final class Networks {
    private Networks() {
    }

    static NDArray forward(ParameterStore ps, NDArray input, Block... chain) {
        NDList x = new NDList(input);
        for (Block block : chain) {
            x = block.forward(ps, x, true);
        }
        return x.singletonOrThrow();
    }
}
