package dev.augsweep.train;

import dev.augsweep.model.MemoryLayout;

/**
 * What a trial's fp32 arithmetic ran on: the same trial gives slightly different numbers on another device, thread
 * count (libtorch's reductions split by thread) or memory layout, so results record all three.
 *
 * @param layoutNote why the layout was chosen, and what was compared to choose it
 */
public record Numerics(String device, int threads, MemoryLayout layout, String layoutNote) {
}
