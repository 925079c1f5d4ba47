package dev.augsweep.data;

/**
 * One CIFAR split in the official image layout: per image 1,024 red, 1,024 green, 1,024 blue bytes (rows of 32
 * pixels), kept as unsigned bytes so 50,000 images take 150 MB rather than 600 MB of floats; one label per image,
 * out of {@code classes}.
 */
public record CifarSplit(byte[] pixels, byte[] labels, int classes) {
    public static final int SIDE = 32;
    public static final int PLANE = SIDE * SIDE;
    public static final int IMAGE_BYTES = 3 * PLANE;

    public int size() {
        return labels.length;
    }

    public int label(int i) {
        return labels[i] & 0xff;
    }

    /** The first {@code n} images (all of them when n is 0 or at least the size). */
    public CifarSplit limit(int n) {
        if (n <= 0 || n >= size()) {
            return this;
        }
        return new CifarSplit(java.util.Arrays.copyOf(pixels, n * IMAGE_BYTES), java.util.Arrays.copyOf(labels, n),
                classes);
    }

    public int[] classCounts() {
        int[] counts = new int[classes];
        for (byte l : labels) {
            counts[l & 0xff]++;
        }
        return counts;
    }
}
