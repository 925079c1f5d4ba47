package dev.augsweep.augment;

/**
 * A 32x32 RGB image as three float planes in [0, 1] (CHW order, as the network takes it); mutable scratch space
 * reused by one augmenting thread.
 */
public final class Image {
    public static final int SIDE = 32;
    public static final int PLANE = SIDE * SIDE;
    final float[] px = new float[3 * PLANE];

    void load(byte[] pixels, int offset) {
        for (int i = 0; i < 3 * PLANE; i++) {
            px[i] = (pixels[offset + i] & 0xff) * (1f / 255f);
        }
    }

    public float[] pixels() {
        return px;
    }
}
