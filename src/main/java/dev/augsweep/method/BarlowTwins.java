package dev.augsweep.method;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/** Barlow Twins: 3-layer 2048-d projector, cross-correlation loss with lambda 0.005. */
public final class BarlowTwins extends BlockMethod {
    private final Block backbone;
    private final Block projector;
    private final double lambda;

    public BarlowTwins(Block backbone, Block projector, double lambda) {
        super("barlowtwins", "backbone", backbone, "projector", projector);
        this.backbone = backbone;
        this.projector = projector;
        this.lambda = lambda;
    }

    @Override
    public NDArray loss(ParameterStore ps, NDArray view0, NDArray view1) {
        return BarlowTwinsLoss.compute(Networks.forward(ps, view0, backbone, projector),
                Networks.forward(ps, view1, backbone, projector), lambda);
    }
}
