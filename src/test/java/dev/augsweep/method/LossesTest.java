package dev.augsweep.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LossesTest {
    private final NDManager m = NDManager.newBaseManager(Device.cpu());

    @AfterEach
    void close() {
        m.close();
    }

    private NDArray rows(float[][] values) {
        float[] flat = new float[values.length * values[0].length];
        for (int i = 0; i < values.length; i++) {
            System.arraycopy(values[i], 0, flat, i * values[0].length, values[0].length);
        }
        return m.create(flat, new Shape(values.length, values[0].length));
    }

    @Test
    void ntXentByHand() {
        // Two images whose views coincide: each view's positive has logit 1/0.5 = 2, its two negatives 0.
        NDArray z = rows(new float[][] {{1, 0}, {0, 1}});
        double expected = Math.log(1 + 2 * Math.exp(-2));
        assertThat(NtXentLoss.compute(z, z, 0.5).getFloat()).isCloseTo((float) expected, offset(1e-6f));
    }

    @Test
    void ntXentMatchesADirectComputation() {
        SplittableRandom rng = new SplittableRandom(3);
        float[][] a = random(rng, 5, 4);
        float[][] b = random(rng, 5, 4);
        double t = 0.5;
        double[][] z = new double[10][];
        for (int i = 0; i < 5; i++) {
            z[i] = unit(a[i]);
            z[i + 5] = unit(b[i]);
        }
        double total = 0;
        for (int i = 0; i < 10; i++) {
            double denominator = 0;
            for (int j = 0; j < 10; j++) {
                if (j != i) {
                    denominator += Math.exp(dot(z[i], z[j]) / t);
                }
            }
            total += -Math.log(Math.exp(dot(z[i], z[(i + 5) % 10]) / t) / denominator);
        }
        assertThat(NtXentLoss.compute(rows(a), rows(b), t).getFloat()).isCloseTo((float) (total / 10), offset(1e-5f));
    }

    @Test
    void queueInfoNceByHand() {
        NDArray q = rows(new float[][] {{2, 0}});
        NDArray k = rows(new float[][] {{1, 0}});
        NDArray queue = rows(new float[][] {{0, 1}, {-1, 0}});
        double expected = Math.log(1 + Math.exp(-10) + Math.exp(-20));
        assertThat(QueueInfoNceLoss.compute(q, k, queue, 0.1).getFloat()).isCloseTo((float) expected, offset(1e-6f));
    }

    @Test
    void negativeCosineByHand() {
        NDArray p = rows(new float[][] {{1, 0}, {1, 1}});
        NDArray z = rows(new float[][] {{3, 0}, {0, 1}});
        assertThat(NegativeCosineLoss.compute(p, z).getFloat()).isCloseTo((float) -((1 + Math.sqrt(0.5)) / 2),
                offset(1e-6f));
    }

    @Test
    void barlowTwinsByHand() {
        // Standardised columns are +-1/sqrt(2); C = [[0.5, 0.5], [-0.5, -0.5]].
        NDArray z0 = rows(new float[][] {{1, 2}, {3, 0}});
        NDArray z1 = rows(new float[][] {{1, 0}, {3, 4}});
        double expected = 0.25 + 2.25 + 0.005 * (0.25 + 0.25);
        assertThat(BarlowTwinsLoss.compute(z0, z1, 0.005).getFloat()).isCloseTo((float) expected, offset(1e-5f));
    }

    @Test
    void simSiamStopsGradientsAtTheTargets() {
        SplittableRandom rng = new SplittableRandom(5);
        NDArray p0 = rows(random(rng, 4, 3));
        NDArray p1 = rows(random(rng, 4, 3));
        NDArray z0 = rows(random(rng, 4, 3));
        NDArray z1 = rows(random(rng, 4, 3));
        for (NDArray a : new NDArray[] {p0, p1, z0, z1}) {
            a.setRequiresGradient(true);
        }
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            // The zero-weighted sums only make every gradient defined, so the targets' can be read as zeros.
            NDArray loss = SimSiam.symmetric(p0, p1, z0, z1).add(z0.sum().mul(0f)).add(z1.sum().mul(0f));
            gc.backward(loss);
        }
        assertThat(z0.getGradient().abs().sum().getFloat()).isZero();
        assertThat(z1.getGradient().abs().sum().getFloat()).isZero();
        assertThat(p0.getGradient().abs().sum().getFloat()).isGreaterThan(0f);
        assertThat(p1.getGradient().abs().sum().getFloat()).isGreaterThan(0f);
    }

    static float[][] random(SplittableRandom rng, int n, int d) {
        float[][] v = new float[n][d];
        for (float[] row : v) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) (rng.nextDouble() * 2 - 1);
            }
        }
        return v;
    }

    private static double[] unit(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        double[] u = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = v[i] / Math.sqrt(norm);
        }
        return u;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
