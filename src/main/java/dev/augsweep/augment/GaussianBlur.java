package dev.augsweep.augment;

import java.util.Arrays;

/**
 * Gaussian blur as PIL's {@code ImageFilter.GaussianBlur} computes it, which is what the paper's pipeline runs
 * (lightly's GaussianBlur calls it with radius = sigma): not a sampled Gaussian kernel but three passes of an
 * "extended box" filter per axis, horizontal first (Gwosdek et al., 2011; Pillow's BoxBlur.c), each pass repeating
 * the edge pixels. The three passes give exactly the variance sigma^2; at sigma = 1 each weighs neighbours
 * 1/6, 4/6, 1/6. A sampled Gaussian of the same sigma differed from PIL by up to 12 levels near the borders, where
 * repeating the edge once per pass is not the same as repeating it once. We keep floats where PIL rounds each pass
 * to 8 bits.
 *
 * <p>Each pass adds one tap at a time over a whole padded row, so the JIT vectorises it.
 */
final class GaussianBlur {
    private static final int PASSES = 3;
    private final float[] kernel;
    private final int radius;
    private final float[] padded;
    private final float[] row = new float[Image.SIDE];

    GaussianBlur(double sigma) {
        // Pillow's _gaussian_blur_radius: a box of 2l + 1 full taps and two fractional ones of weight a.
        double sigma2 = sigma * sigma / PASSES;
        int l = (int) Math.floor((Math.sqrt(12 * sigma2 + 1) - 1) / 2);
        double a = (2 * l + 1) * (l * (l + 1) - 3 * sigma2) / (6 * (sigma2 - (l + 1) * (l + 1)));
        double norm = 2 * (l + a) + 1;
        radius = l + 1;
        kernel = new float[2 * radius + 1];
        Arrays.fill(kernel, (float) (1 / norm));
        kernel[0] = (float) (a / norm);
        kernel[kernel.length - 1] = (float) (a / norm);
        padded = new float[Image.SIDE + 2 * radius];
    }

    void apply(float[] px, float[] scratch) {
        int n = Image.SIDE;
        for (int c = 0; c < 3; c++) {
            int base = c * Image.PLANE;
            for (int y = 0; y < n; y++) {
                int start = base + y * n;
                for (int pass = 0; pass < PASSES; pass++) {
                    System.arraycopy(px, start, padded, radius, n);
                    for (int k = 0; k < radius; k++) {
                        padded[k] = px[start];
                        padded[radius + n + k] = px[start + n - 1];
                    }
                    Arrays.fill(row, 0f);
                    for (int k = 0; k < kernel.length; k++) {
                        float w = kernel[k];
                        for (int x = 0; x < n; x++) {
                            row[x] += w * padded[x + k];
                        }
                    }
                    System.arraycopy(row, 0, px, start, n);
                }
            }
            for (int pass = 0; pass < PASSES; pass++) {
                float[] from = pass % 2 == 0 ? px : scratch;
                float[] to = pass % 2 == 0 ? scratch : px;
                for (int y = 0; y < n; y++) {
                    Arrays.fill(row, 0f);
                    for (int k = 0; k < kernel.length; k++) {
                        float w = kernel[k];
                        int source = base + Math.min(n - 1, Math.max(0, y + k - radius)) * n;
                        for (int x = 0; x < n; x++) {
                            row[x] += w * from[source + x];
                        }
                    }
                    System.arraycopy(row, 0, to, base + y * n, n);
                }
            }
            // An odd number of passes ends in scratch.
            System.arraycopy(scratch, base, px, base, Image.PLANE);
        }
    }
}
