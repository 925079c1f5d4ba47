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

    /** Two trials of two epochs (abc and a, seed 0). */
    private static SweepJob twoTrials(Path dir) throws Exception {
        return SweepJobs.load(SweepRunnerTest.job(dir, "method = [simclr], augs = [abc, a], seed = [0]", 2),
                SweepRunnerTest.TINY, 100);
    }

    @Test
    void theBestCellSoFarCountsTrialsAnEarlierDriverFinished(@TempDir Path dir) throws Exception {
        SweepJob job = twoTrials(dir);
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
        SweepJob job = twoTrials(dir);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // An extended search: 3 trials finished earlier, 20 stopped by its schedule, 1 failed, 1 to run.
        SweepProgress progress = new SweepProgress(new PrintStream(out, true), 25, 3, 1, 20,
                List.of(job.trials().get(1)), t -> 0, t -> 2);
        progress.status(1, 0, java.util.Set.of());
        assertThat(out.toString()).contains("3/25 done, 1 running, 1 failed, 20 stopped");
    }

    /**
     * A search proposes its trials as it runs: with 2 of its 10 trials proposed, one done and one half way, the ETA
     * counts the 8 to come at the proposed ones' average work, not only the half trial left (which would read 0.5 of
     * the elapsed time: nearly done).
     */
    @Test
    void aSearchsEtaCountsTheTrialsNotProposedYet(@TempDir Path dir) throws Exception {
        SweepJob job = twoTrials(dir);
        var first = job.trials().get(0);
        var second = job.trials().get(1);
        SweepProgress progress = new SweepProgress(new PrintStream(new ByteArrayOutputStream(), true), 10, 0, 0, 0,
                List.of(), t -> t.equals(second.id()) ? 1 : 0, t -> 2);
        progress.added(List.of(first, second));
        progress.finished(first, new TrialOutcome(first.id(), TrialOutcome.FINISHED, null, "h", "cpu", 1, 2,
                Map.of("knn_top1_best", 30.0, "seconds", 1.0, "epochs_done", 2), List.of()));
        progress.status(1, 0, java.util.Set.of(second.id()));
        // done this run: 2 + 1 epochs of equal trials; left: 1 epoch, and 8 trials of (3 + 1) / 2 = 2 epochs each
        assertThat(progress.etaSeconds() / progress.elapsedSeconds()).isCloseTo(17.0 / 3, org.assertj.core.data.Offset
                .offset(1e-9));
    }
}
