package dev.augsweep.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.job.SweepJob;
import dev.augsweep.job.SweepJobs;
import dev.augsweep.results.TrialOutcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepProgressTest {
    static TrialOutcome finished(String id, double knn) {
        return new TrialOutcome(id, TrialOutcome.FINISHED, null, "h", "cpu", 1, 2,
                Map.of("knn_top1_best", knn, "seconds", 1.0), List.of());
    }

    @Test
    void theBestCellSoFarCountsTrialsAnEarlierDriverFinished(@TempDir Path dir) throws Exception {
        SweepJob job = SweepJobs.load(SweepRunnerTest.job(dir, "method = [simclr], augs = [abc, a], seed = [0]", 2),
                SweepRunnerTest.TINY, 100);
        var earlier = job.trials().get(0);
        var now = job.trials().get(1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SweepProgress progress = new SweepProgress(new PrintStream(out, true), 2, 1, 0, 0, List.of(now), t -> 0,
                t -> 2);
        progress.finishedEarlier(earlier, finished(earlier.id(), 40.0));
        progress.finished(now, finished(now.id(), 30.0));
        progress.status(0, 0, java.util.Set.of());
        assertThat(out.toString()).contains("2/2 done").contains("best: simclr abc s=1 seed 0: 40.00%")
                .doesNotContain("LAG");
        progress.status(0, 3, java.util.Set.of());
        assertThat(out.toString()).contains("TABLES LAG: 3 outcome(s) not yet recorded");
    }

    @Test
    void trialsAScheduleStoppedEarlierAreCountedAsStoppedNotFailed(@TempDir Path dir) throws Exception {
        SweepJob job = SweepJobs.load(SweepRunnerTest.job(dir, "method = [simclr], augs = [abc, a], seed = [0]", 2),
                SweepRunnerTest.TINY, 100);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // An extended search: 3 trials finished earlier, 20 stopped by its schedule, 1 failed, 1 to run.
        SweepProgress progress = new SweepProgress(new PrintStream(out, true), 25, 3, 1, 20,
                List.of(job.trials().get(1)), t -> 0, t -> 2);
        progress.status(1, 0, java.util.Set.of());
        assertThat(out.toString()).contains("3/25 done, 1 running, 1 failed, 20 stopped");
    }
}
