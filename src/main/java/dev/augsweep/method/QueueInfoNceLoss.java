package dev.augsweep.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * MoCo's InfoNCE against a queue (lightly's NTXentLoss with a memory bank): per query, its key is the positive
 * and every queue entry a negative; cross-entropy with the positive at index 0.
 *
 * @see MoCo for the order of reading and filling the queue
 */
public final class QueueInfoNceLoss {
    private QueueInfoNceLoss() {
    }

    /**
     * @param query  (N, d) query projections (gradients flow)
     * @param key    (N, d) key projections, no gradient
     * @param queue  (K, d) L2-normalised negatives, a copy the caller will not change in place
     */
    public static NDArray compute(NDArray query, NDArray key, NDArray queue, double temperature) {
        NDArray q = query.normalize(2, 1);
        NDArray k = key.normalize(2, 1);
        NDArray positive = q.mul(k).sum(new int[] {1}, true);
        NDArray negative = q.matMul(queue.transpose());
        NDArray logits = NDArrays.concat(new NDList(positive, negative), 1).div((float) temperature);
        return logits.logSoftmax(1).get(":, 0").mean().neg();
    }
}
