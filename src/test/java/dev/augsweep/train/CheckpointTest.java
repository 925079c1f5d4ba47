package dev.augsweep.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.model.MemoryLayout;
import dev.augsweep.storage.Storage;
import dev.augsweep.storage.StorePath;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class CheckpointTest {
    private static final int VALUES = 1 << 20; // 4 MB a checkpoint: writes long enough to overlap

    /**
     * Two attempts of one trial at once (speculation, an executor wrongly declared lost) write its checkpoint over
     * and over while a third reads it: every read is one attempt's checkpoint whole, never a mix, and no write
     * fails on the other's temporary file.
     */
    @Test
    void twoAttemptsWritingAtOnceLeaveOneWholeCheckpoint(@TempDir Path dir) throws Exception {
        twoWritersAndAReader(StorePath.local(dir));
    }

    /** The test above in any store (HdfsResultsTest runs it on HDFS). */
    public static void twoWritersAndAReader(StorePath dir) throws Exception {
        Checkpoint first = filled(1);
        Checkpoint second = filled(2);
        first.write(dir);
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Void>> writers = List.of(pool.submit(() -> writeRepeatedly(first, dir)),
                    pool.submit(() -> writeRepeatedly(second, dir)));
            Future<Integer> reader = pool.submit(() -> {
                int reads = 0;
                while (writing.get()) {
                    assertWhole(Checkpoint.read(dir));
                    reads++;
                }
                return reads;
            });
            for (Future<Void> w : writers) {
                w.get();
            }
            writing.set(false);
            assertThat(reader.get()).isPositive();
            assertWhole(Checkpoint.read(dir));
            assertThat(Storage.list(dir).stream().map(StorePath::name)).containsExactly(Checkpoint.FILE);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Void writeRepeatedly(Checkpoint checkpoint, StorePath dir) throws Exception {
        for (int i = 0; i < 20; i++) {
            checkpoint.write(dir);
        }
        return null;
    }

    /** Attempt k's checkpoint: k epochs done, every value k. */
    private static Checkpoint filled(int k) {
        float[] values = new float[VALUES];
        Arrays.fill(values, k);
        return new Checkpoint("trial", k, 0.1 * k, 1, MemoryLayout.NCHW, Map.of("steps", (long) k),
                List.of(new EpochMetrics(k, 5.0 - k, null, 0.1, 1, 0, 100, false, null)), Map.of("w", values),
                Map.of("w", new long[] {VALUES}));
    }

    private static void assertWhole(Checkpoint c) {
        int k = c.epochsDone();
        assertThat(k).isIn(1, 2);
        assertThat(c.counters()).isEqualTo(Map.of("steps", (long) k));
        float[] values = c.arrays().get("w");
        assertThat(values).hasSize(VALUES);
        for (float v : values) {
            if (v != k) {
                throw new AssertionError("a mix of two checkpoints: epochs done " + k + " but a value " + v);
            }
        }
    }
}
