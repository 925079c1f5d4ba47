package dev.augsweep.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.job.SweepJob;
import dev.augsweep.job.SweepJobs;
import dev.augsweep.results.ResultsLayout;
import dev.augsweep.results.ResultsStore;
import dev.augsweep.results.SparkSessions;
import dev.augsweep.results.TrialOutcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two drivers on one results directory with no lock between them (a lock lost, an object store): each records
 * every trial, in its own order and batches, at the same time; Delta's transactions leave one row per trial and
 * per trial and epoch.
 */
class ConcurrentWritersTest {
    private static final int TRIALS = 12;
    private static final int EPOCHS = 2;

    @Test
    void twoDriversRecordingTheSameTrialsAtOnceLeaveOneRowEach(@TempDir Path dir) throws Exception {
        SweepJob sweep = SweepJobs.load(SweepRunnerTest.job(dir, "method = [simclr], augs = [a, ab, abc, abcd, "
                + "abcde, b], seed = [0, 1]", EPOCHS), SweepRunnerTest.TINY, 100);
        List<ResultsStore.Finished> finished = new ArrayList<>();
        for (var t : sweep.trials()) {
            List<Map<String, Object>> epochs = new ArrayList<>();
            for (int e = 1; e <= EPOCHS; e++) {
                epochs.add(Map.of("epoch", e, "loss", 6.0 - e));
            }
            finished.add(new ResultsStore.Finished(t, new TrialOutcome(t.id(), TrialOutcome.FINISHED, null, "h",
                    "cpu", 1, 2, Map.of("knn_top1_best", 20.0, "seconds", 1.0), epochs)));
        }
        assertThat(finished).hasSize(TRIALS);
        ResultsLayout layout = new ResultsLayout(dir.resolve("results"));
        SparkSession spark = SparkSessions.create("writers", "local[2]", Map.of("spark.ui.enabled", "false"));
        ExecutorService drivers = Executors.newFixedThreadPool(2);
        try {
            new ResultsStore(spark, layout).open();
            List<ResultsStore.Finished> reversed = new ArrayList<>(finished);
            Collections.reverse(reversed);
            CyclicBarrier start = new CyclicBarrier(2);
            List<Future<?>> runs = List.of(
                    drivers.submit(() -> record(new ResultsStore(spark.newSession(), layout), finished, 2, start)),
                    drivers.submit(() -> record(new ResultsStore(spark.newSession(), layout), reversed, 3, start)));
            for (Future<?> run : runs) {
                run.get();
            }
            ResultsStore store = new ResultsStore(spark, layout);
            assertThat(store.trials().count()).isEqualTo(TRIALS);
            assertThat(store.trials().select("trial_id").distinct().count()).isEqualTo(TRIALS);
            assertThat(spark.read().format("delta").load(layout.epochsTable().toString()).count())
                    .isEqualTo(TRIALS * EPOCHS);
            // Both wrote: the test exercised two writers, not one that found everything recorded.
            assertThat(spark.sql("DESCRIBE HISTORY delta.`" + layout.trialsTable() + "`")
                    .where("operation = 'MERGE'").count()).isGreaterThanOrEqualTo(2);
        } finally {
            drivers.shutdownNow();
            spark.stop();
        }
    }

    /** A driver that never learns what the other recorded: it commits all of its batches. */
    private static Void record(ResultsStore store, List<ResultsStore.Finished> all, int batch, CyclicBarrier start)
            throws Exception {
        start.await();
        for (int i = 0; i < all.size(); i += batch) {
            store.commit("test", "job.conf", all.subList(i, Math.min(all.size(), i + batch)));
        }
        return null;
    }
}
