package dev.augsweep.augment;

/** Separable Gaussian blur with edge pixels repeated (as PIL's GaussianBlur), kernel radius ceil(3 sigma). */
final class GaussianBlur {
    private final float[] kernel;
    private final int radius;

    GaussianBlur(double sigma) {
        radius = (int) Math.ceil(3 * sigma);
        kernel = new float[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            double v = Math.exp(-(i * i) / (2 * sigma * sigma));
            kernel[i + radius] = (float) v;
            sum += v;
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= (float) sum;
        }
    }

    void apply(float[] px, float[] scratch) {
        int n = Image.SIDE;
        for (int c = 0; c < 3; c++) {
            int base = c * Image.PLANE;
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    float acc = 0;
                    for (int k = -radius; k <= radius; k++) {
                        int xx = Math.min(n - 1, Math.max(0, x + k));
                        acc += kernel[k + radius] * px[base + y * n + xx];
                    }
                    scratch[base + y * n + x] = acc;
                }
            }
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    float acc = 0;
                    for (int k = -radius; k <= radius; k++) {
                        int yy = Math.min(n - 1, Math.max(0, y + k));
                        acc += kernel[k + radius] * scratch[base + yy * n + x];
                    }
                    px[base + y * n + x] = acc;
                }
            }
        }
    }
}
