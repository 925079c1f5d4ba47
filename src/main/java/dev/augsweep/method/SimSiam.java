package dev.augsweep.method;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/** SimSiam: projector and predictor, loss -1/2 cos(p0, sg(z1)) - 1/2 cos(p1, sg(z0)). */
public final class SimSiam extends BlockMethod {
    private final Block backbone;
    private final Block projector;
    private final Block predictor;

    public SimSiam(Block backbone, Block projector, Block predictor) {
        super("simsiam", "backbone", backbone, "projector", projector, "predictor", predictor);
        this.backbone = backbone;
        this.projector = projector;
        this.predictor = predictor;
    }

    @Override
    public NDArray loss(ParameterStore ps, NDArray view0, NDArray view1) {
        NDArray z0 = Networks.forward(ps, view0, backbone, projector);
        NDArray z1 = Networks.forward(ps, view1, backbone, projector);
        NDArray p0 = Networks.forward(ps, z0, predictor);
        NDArray p1 = Networks.forward(ps, z1, predictor);
        return symmetric(p0, p1, z0, z1);
    }

    /** The stop-gradient sits here: targets are detached, predictions are not. */
    static NDArray symmetric(NDArray p0, NDArray p1, NDArray z0, NDArray z1) {
        return NegativeCosineLoss.compute(p0, z1.stopGradient()).mul(0.5f)
                .add(NegativeCosineLoss.compute(p1, z0.stopGradient()).mul(0.5f));
    }
}
