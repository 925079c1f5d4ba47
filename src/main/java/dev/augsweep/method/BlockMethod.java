package dev.augsweep.method;

import ai.djl.nn.Block;
import java.util.LinkedHashMap;
import java.util.Map;

/** What every method shares: a name and its trained blocks in a fixed order, the backbone first. */
abstract class BlockMethod implements Method {
    private final String name;
    private final Map<String, Block> trained;

    /** @param namesAndBlocks "backbone", backbone, then the heads: name, block, ... */
    BlockMethod(String name, Object... namesAndBlocks) {
        this.name = name;
        this.trained = new LinkedHashMap<>();
        for (int i = 0; i < namesAndBlocks.length; i += 2) {
            trained.put((String) namesAndBlocks[i], (Block) namesAndBlocks[i + 1]);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Block backbone() {
        return trained.get("backbone");
    }

    @Override
    public Map<String, Block> trainedBlocks() {
        return new LinkedHashMap<>(trained);
    }

    @Override
    public Map<String, Block> checkpointBlocks() {
        return trainedBlocks();
    }
}
