package dev.augsweep.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GaussianBlurTest {
    /**
     * The textbook form of PIL's blur: per pixel, per pass, taps in kernel order, coordinates clamped to the edge;
     * three horizontal passes, then three vertical ones, with Pillow's extended box of radius l + a.
     */
    private static float[] reference(float[] px, double sigma) {
        double s2 = sigma * sigma / 3;
        int l = (int) Math.floor((Math.sqrt(12 * s2 + 1) - 1) / 2);
        double a = (2 * l + 1) * (l * (l + 1) - 3 * s2) / (6 * (s2 - (l + 1) * (l + 1)));
        int r = l + 1;
        float[] k = new float[2 * r + 1];
        for (int i = 0; i < k.length; i++) {
            k[i] = (float) ((i == 0 || i == k.length - 1 ? a : 1) / (2 * (l + a) + 1));
        }
        int n = 32;
        float[] cur = px.clone();
        for (int axis = 0; axis < 2; axis++) {
            for (int pass = 0; pass < 3; pass++) {
                float[] next = new float[cur.length];
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < n; y++) {
                        for (int x = 0; x < n; x++) {
                            float acc = 0;
                            for (int t = -r; t <= r; t++) {
                                int xx = axis == 0 ? Math.min(n - 1, Math.max(0, x + t)) : x;
                                int yy = axis == 1 ? Math.min(n - 1, Math.max(0, y + t)) : y;
                                acc += k[t + r] * cur[c * 1024 + yy * n + xx];
                            }
                            next[c * 1024 + y * n + x] = acc;
                        }
                    }
                }
                cur = next;
            }
        }
        return cur;
    }

    @Test
    void matchesThePerPixelFormOfPilsThreeBoxPassesBitForBit() {
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

    @Test
    void anImpulseSpreadsWithVarianceSigmaSquaredAndSigmaOneIsPilsOneFourOneKernelCubed() {
        for (double sigma : new double[] {0.5, 1.0, 2.0}) {
            float[] px = new float[3 * 1024];
            px[16 * 32 + 16] = 1; // red channel, centre
            new GaussianBlur(sigma).apply(px, new float[px.length]);
            double sum = 0;
            double var = 0;
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    sum += px[y * 32 + x];
                    var += px[y * 32 + x] * (x - 16) * (x - 16);
                }
            }
            assertThat(sum).isCloseTo(1, offset(1e-5));
            assertThat(var).isCloseTo(sigma * sigma, offset(1e-4));
        }
        float[] px = new float[3 * 1024];
        px[16 * 32 + 16] = 1;
        new GaussianBlur(1.0).apply(px, new float[px.length]);
        // ([1, 4, 1] / 6) convolved with itself three times: [1, 12, 51, 88, 51, 12, 1] / 216 along each axis.
        assertThat((double) px[16 * 32 + 16]).isCloseTo(88.0 / 216 * 88.0 / 216, offset(1e-6));
        assertThat((double) px[16 * 32 + 19]).isCloseTo(1.0 / 216 * 88.0 / 216, offset(1e-7));
        assertThat((double) px[16 * 32 + 20]).isZero();
    }
}
