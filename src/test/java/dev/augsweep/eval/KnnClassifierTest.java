package dev.augsweep.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KnnClassifierTest {
    @Test
    void matchesADirectWeightedVote() {
        int n = 700;
        int queries = 1100; // more than one chunk
        int d = 16;
        int classes = 10;
        SplittableRandom rng = new SplittableRandom(9);
        float[][] centres = new float[classes][d];
        for (float[] c : centres) {
            for (int j = 0; j < d; j++) {
                c[j] = (float) rng.nextGaussian();
            }
        }
        float[][] bank = new float[n][];
        long[] bankLabels = new long[n];
        for (int i = 0; i < n; i++) {
            bankLabels[i] = rng.nextInt(classes);
            bank[i] = noisy(centres[(int) bankLabels[i]], rng);
        }
        float[][] query = new float[queries][];
        int[] queryLabels = new int[queries];
        for (int i = 0; i < queries; i++) {
            queryLabels[i] = rng.nextInt(classes);
            query[i] = noisy(centres[queryLabels[i]], rng);
        }
        int k = 20;
        double t = 0.1;
        int correct = 0;
        for (int q = 0; q < queries; q++) {
            double[] sims = new double[n];
            Integer[] idx = new Integer[n];
            for (int i = 0; i < n; i++) {
                sims[i] = dot(query[q], bank[i]);
                idx[i] = i;
            }
            java.util.Arrays.sort(idx, (x, y) -> Double.compare(sims[y], sims[x]));
            double[] score = new double[classes];
            for (int j = 0; j < k; j++) {
                score[(int) bankLabels[idx[j]]] += Math.exp(sims[idx[j]] / t);
            }
            int best = 0;
            for (int c = 1; c < classes; c++) {
                best = score[c] > score[best] ? c : best;
            }
            correct += best == queryLabels[q] ? 1 : 0;
        }
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray b = m.create(flat(bank), new Shape(n, d));
            NDArray qa = m.create(flat(query), new Shape(queries, d));
            double acc = KnnClassifier.top1(b, m.create(bankLabels), qa, queryLabels, k, t, classes);
            assertThat(acc).isCloseTo(correct / (double) queries, offset(1e-9));
            assertThat(acc).isBetween(0.2, 0.99); // a task where the vote matters, not a trivial one
            // k larger than the bank falls back to the whole bank rather than failing.
            assertThat(KnnClassifier.top1(b.get("0:5"), m.create(java.util.Arrays.copyOf(bankLabels, 5)), qa,
                    queryLabels, 200, t, classes)).isBetween(0.0, 1.0);
        }
    }

    private static float[] noisy(float[] centre, SplittableRandom rng) {
        float[] v = new float[centre.length];
        double norm = 0;
        for (int j = 0; j < v.length; j++) {
            v[j] = (float) (centre[j] + 1.5 * rng.nextGaussian());
            norm += v[j] * v[j];
        }
        for (int j = 0; j < v.length; j++) {
            v[j] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static float[] flat(float[][] rows) {
        float[] f = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, f, i * rows[0].length, rows[0].length);
        }
        return f;
    }
}
