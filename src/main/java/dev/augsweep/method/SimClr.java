package dev.augsweep.method;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/** SimCLR: projection head 512-512-128 and NT-Xent at temperature 0.5; the two views go through separately. */
public final class SimClr extends BlockMethod {
    private final Block backbone;
    private final Block head;
    private final double temperature;

    public SimClr(Block backbone, Block head, double temperature) {
        super("simclr", "backbone", backbone, "head", head);
        this.backbone = backbone;
        this.head = head;
        this.temperature = temperature;
    }

    @Override
    public NDArray loss(ParameterStore ps, NDArray view0, NDArray view1) {
        return NtXentLoss.compute(Networks.forward(ps, view0, backbone, head), Networks.forward(ps, view1, backbone, head),
                temperature);
    }
}
