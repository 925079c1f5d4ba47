package dev.augsweep.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * The paper's weighted kNN (as in InstDisc and lightly's benchmark): the k most cosine-similar bank features,
 * each voting for its class with weight exp(sim / t); the class with the highest score wins.
 */
public final class KnnClassifier {
    private static final int CHUNK = 512;

    private KnnClassifier() {
    }

    /**
     * @param bank        (N, d) L2-normalised training features
     * @param bankLabels  (N) int64 labels
     * @param queries     (M, d) L2-normalised test features
     * @return the fraction of queries whose predicted class equals their label
     */
    public static double top1(NDArray bank, NDArray bankLabels, NDArray queries, int[] queryLabels, int k,
                              double temperature, int classes) {
        long n = bank.getShape().get(0);
        long m = queries.getShape().get(0);
        int kk = (int) Math.min(k, n);
        NDArray bankT = bank.transpose();
        long correct = 0;
        for (long start = 0; start < m; start += CHUNK) {
            long end = Math.min(m, start + CHUNK);
            try (NDManager chunk = bank.getManager().newSubManager()) {
                NDArray q = queries.get(start + ":" + end);
                q.attach(chunk);
                NDList top = q.matMul(bankT).topK(kk, 1, true, true);
                NDArray weights = top.get(0).div((float) temperature).exp();
                NDArray labels = bankLabels.take(chunk, top.get(1));
                NDArray scores = labels.oneHot(classes).mul(weights.expandDims(2)).sum(new int[] {1});
                long[] predicted = scores.argMax(1).toLongArray();
                for (int i = 0; i < predicted.length; i++) {
                    if (predicted[i] == queryLabels[(int) start + i]) {
                        correct++;
                    }
                }
            }
        }
        bankT.close();
        return (double) correct / m;
    }
}
