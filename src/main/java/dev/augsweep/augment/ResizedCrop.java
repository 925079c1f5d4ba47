package dev.augsweep.augment;

import java.util.SplittableRandom;

/** torchvision's RandomResizedCrop: box sampling with 10 attempts and a centre-crop fallback, bilinear resize. */
final class ResizedCrop {
    private static final double LOG_MIN_RATIO = Math.log(3.0 / 4.0);
    private static final double LOG_MAX_RATIO = Math.log(4.0 / 3.0);

    private ResizedCrop() {
    }

    /** Returns {top, left, height, width} of the crop box, as torchvision's get_params does. */
    static int[] sampleBox(SplittableRandom rng, double minScale) {
        int size = Image.SIDE;
        double area = size * size;
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (minScale + (1.0 - minScale) * rng.nextDouble());
            double ratio = Math.exp(LOG_MIN_RATIO + (LOG_MAX_RATIO - LOG_MIN_RATIO) * rng.nextDouble());
            int w = (int) Math.round(Math.sqrt(target * ratio));
            int h = (int) Math.round(Math.sqrt(target / ratio));
            if (w > 0 && w <= size && h > 0 && h <= size) {
                int top = rng.nextInt(size - h + 1);
                int left = rng.nextInt(size - w + 1);
                return new int[] {top, left, h, w};
            }
        }
        // A square image is within the ratio range, so the fallback is the whole image.
        return new int[] {0, 0, size, size};
    }

    /** Resizes box {top, left, h, w} of src to 32x32 into dst with half-pixel-centred bilinear sampling. */
    static void apply(float[] src, float[] dst, int top, int left, int h, int w) {
        int size = Image.SIDE;
        float sy = (float) h / size;
        float sx = (float) w / size;
        for (int y = 0; y < size; y++) {
            float fy = Math.max(0f, Math.min(h - 1f, (y + 0.5f) * sy - 0.5f));
            int y0 = (int) fy;
            int y1 = Math.min(y0 + 1, h - 1);
            float wy = fy - y0;
            for (int x = 0; x < size; x++) {
                float fx = Math.max(0f, Math.min(w - 1f, (x + 0.5f) * sx - 0.5f));
                int x0 = (int) fx;
                int x1 = Math.min(x0 + 1, w - 1);
                float wx = fx - x0;
                for (int c = 0; c < 3; c++) {
                    int base = c * Image.PLANE + top * size + left;
                    float a = src[base + y0 * size + x0];
                    float b = src[base + y0 * size + x1];
                    float d = src[base + y1 * size + x0];
                    float e = src[base + y1 * size + x1];
                    float upper = a + (b - a) * wx;
                    float lower = d + (e - d) * wx;
                    dst[c * Image.PLANE + y * size + x] = upper + (lower - upper) * wy;
                }
            }
        }
    }
}
