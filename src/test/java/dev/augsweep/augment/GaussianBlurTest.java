package dev.augsweep.augment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GaussianBlurTest {
    /** The textbook form: per pixel, taps in kernel order, coordinates clamped to the edge. */
    private static float[] reference(float[] px, double sigma) {
        int r = (int) Math.ceil(3 * sigma);
        float[] k = new float[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = (float) Math.exp(-(i * i) / (2 * sigma * sigma));
            sum += k[i + r];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= (float) sum;
        }
        int n = 32;
        float[] h = new float[px.length];
        float[] out = new float[px.length];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    float acc = 0;
                    for (int t = -r; t <= r; t++) {
                        acc += k[t + r] * px[c * 1024 + y * n + Math.min(n - 1, Math.max(0, x + t))];
                    }
                    h[c * 1024 + y * n + x] = acc;
                }
            }
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    float acc = 0;
                    for (int t = -r; t <= r; t++) {
                        acc += k[t + r] * h[c * 1024 + Math.min(n - 1, Math.max(0, y + t)) * n + x];
                    }
                    out[c * 1024 + y * n + x] = acc;
                }
            }
        }
        return out;
    }

    @Test
    void matchesThePerPixelFormBitForBit() {
        SplittableRandom rng = new SplittableRandom(4);
        for (double sigma : new double[] {0.5, 1.0, 2.0}) {
            float[] px = new float[3 * 1024];
            for (int i = 0; i < px.length; i++) {
                px[i] = (float) rng.nextDouble();
            }
            float[] expected = reference(px, sigma);
            new GaussianBlur(sigma).apply(px, new float[px.length]);
            assertThat(px).isEqualTo(expected);
        }
    }
}
