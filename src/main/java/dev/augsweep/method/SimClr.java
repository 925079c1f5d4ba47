package dev.augsweep.method;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;

/** SimCLR: projection head 512-512-128 and NT-Xent at temperature 0.5; the two views go through separately. */
public final class SimClr implements Method {
    private final Block backbone;
    private final Block head;
    private final double temperature;

    public SimClr(Block backbone, Block head, double temperature) {
        this.backbone = backbone;
        this.head = head;
        this.temperature = temperature;
    }

    @Override
    public String name() {
        return "simclr";
    }

    @Override
    public Block backbone() {
        return backbone;
    }

    @Override
    public Map<String, Block> trainedBlocks() {
        Map<String, Block> blocks = new LinkedHashMap<>();
        blocks.put("backbone", backbone);
        blocks.put("head", head);
        return blocks;
    }

    @Override
    public Map<String, Block> checkpointBlocks() {
        return trainedBlocks();
    }

    @Override
    public NDArray loss(ParameterStore ps, NDArray view0, NDArray view1) {
        return NtXentLoss.compute(Networks.forward(ps, view0, backbone, head), Networks.forward(ps, view1, backbone, head),
                temperature);
    }
}
