package dev.augsweep.augment;

import dev.augsweep.config.AugmentationSpec;
import dev.augsweep.data.CifarSplit;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * One epoch of shuffled batches (last incomplete one dropped), each image seen as two independent views. Batches
 * are produced on CPU threads a few steps ahead, so the training device does not wait for them; the result depends
 * only on (seed, epoch), never on thread timing.
 */
public final class TwoViewBatches implements Iterator<ViewBatch> {
    private final CifarSplit split;
    private final AugmentationSpec spec;
    private final long seed;
    private final int epoch;
    private final int batchSize;
    private final ViewBatchPool buffers;
    private final int[] order;
    private final int batches;
    private final ExecutorService pool;
    private final ThreadLocal<ViewAugmenter> augmenters;
    private final ArrayDeque<CompletableFuture<ViewBatch>> ahead = new ArrayDeque<>();
    private final int depth;
    private int submitted;
    private int taken;

    /** Batches of {@code buffers.batchSize()} pairs, written into the pool's arrays; the consumer releases them. */
    public TwoViewBatches(CifarSplit split, AugmentationSpec spec, long seed, int epoch, ViewBatchPool buffers,
                          ExecutorService pool, int depth) {
        this.split = split;
        this.spec = spec;
        this.seed = seed;
        this.epoch = epoch;
        this.batchSize = buffers.batchSize();
        this.buffers = buffers;
        this.order = Seeds.permutation(split.size(), new SplittableRandom(Seeds.mix(seed, epoch, -1)));
        this.batches = split.size() / batchSize;
        this.pool = pool;
        this.depth = Math.max(1, depth);
        this.augmenters = ThreadLocal.withInitial(() -> new ViewAugmenter(spec));
        fill();
    }

    public int batches() {
        return batches;
    }

    @Override
    public boolean hasNext() {
        return taken < batches;
    }

    @Override
    public ViewBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ViewBatch batch = ahead.removeFirst().join();
        taken++;
        fill();
        return batch;
    }

    /** Cancels batches made ahead (an interrupted epoch must not leave work queued). */
    public void cancel() {
        ahead.forEach(f -> f.cancel(false));
        ahead.clear();
    }

    private void fill() {
        while (submitted < batches && ahead.size() < depth) {
            int b = submitted++;
            ahead.addLast(CompletableFuture.supplyAsync(() -> make(b), pool));
        }
    }

    /** Builds batch {@code b} entirely from its own random streams (deterministic under any scheduling). */
    ViewBatch make(int b) {
        int n = CifarSplit.IMAGE_BYTES;
        ViewBatch batch = buffers.take();
        ViewAugmenter aug = augmenters.get();
        for (int k = 0; k < batchSize; k++) {
            int image = order[b * batchSize + k];
            for (int view = 0; view < 2; view++) {
                SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, epoch, image, view));
                if (batch.quantised()) {
                    aug.augment(split.pixels(), image * n, rng, view == 0 ? batch.bytes0() : batch.bytes1(), k * n);
                } else {
                    aug.augment(split.pixels(), image * n, rng, view == 0 ? batch.view0() : batch.view1(), k * n);
                }
            }
        }
        return batch;
    }
}
