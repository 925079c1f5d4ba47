package dev.augsweep.numerics;

import dev.augsweep.model.MemoryLayout;

/**
 * What a trial's fp32 arithmetic ran on: the same trial gives slightly different numbers on another device, thread
 * count (libtorch's reductions split by thread), memory layout or view format, so results record them all.
 *
 * @param layoutNote why the layout was chosen, and what was compared to choose it
 * @param viewUpload fp32, or uint8 where the views were quantised to 8 bits ({@code device.ViewUpload})
 */
public record Numerics(String device, int threads, MemoryLayout layout, String layoutNote, String viewUpload) {
}
