package dev.augsweep.augment;

/** Two augmented views of the same {@code size} images, normalised, NHWC (channels-last). */
public record ViewBatch(float[] view0, float[] view1, int size) {
}
