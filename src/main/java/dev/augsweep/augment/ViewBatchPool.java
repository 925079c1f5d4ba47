package dev.augsweep.augment;

import dev.augsweep.config.AugmentationSpec;
import dev.augsweep.data.CifarSplit;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * View arrays reused across the steps and epochs of one trial. Fresh arrays per step (two batch-sized arrays)
 * kept touching new heap pages until the first young collection, which showed as resident memory climbing by
 * 15% over a 10-epoch run; with the pool a trial stops allocating per step once the first batches exist.
 */
public final class ViewBatchPool {
    private final int batchSize;
    private final AugmentationSpec quantisedFor;
    private final ConcurrentLinkedQueue<ViewBatch> free = new ConcurrentLinkedQueue<>();

    /** Batches of normalised float views. */
    public ViewBatchPool(int batchSize) {
        this(batchSize, null);
    }

    /** @param quantisedFor where views are quantised to 8 bits, the augmentation whose normalisation they carry; else null */
    public ViewBatchPool(int batchSize, AugmentationSpec quantisedFor) {
        this.batchSize = batchSize;
        this.quantisedFor = quantisedFor;
    }

    public int batchSize() {
        return batchSize;
    }

    /** A batch to overwrite: a released one when there is one. */
    ViewBatch take() {
        ViewBatch b = free.poll();
        if (b != null) {
            return b;
        }
        int n = batchSize * CifarSplit.IMAGE_BYTES;
        return quantisedFor == null ? ViewBatch.floats(new float[n], new float[n], batchSize)
                : ViewBatch.bytes(new byte[n], new byte[n], quantisedFor.mean(), quantisedFor.std(), batchSize);
    }

    /** Hands a batch back once its views are no longer read. */
    public void release(ViewBatch batch) {
        free.add(batch);
    }
}
