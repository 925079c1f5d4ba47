package dev.augsweep.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.driver.SweepDriver;
import dev.augsweep.job.SweepJob;
import dev.augsweep.job.SweepJobs;
import dev.augsweep.storage.StorePath;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the dashboard reads of a running sweep: a search under ASHA with simulated trials, watched from another thread
 * as the driver runs it. Every trial is pending first, some wait at a rung, and at the end each row says what the
 * trials table says, with its epochs.
 */
class LiveSweepTest {
    @Test
    void followsEachTrialFromPendingThroughItsRungsToWhatTheTablesRecord(@TempDir Path dir) throws Exception {
        SweepJob search = SweepJobs.load(SimulatedSearchTest.job(dir, 24), List.of(), 1000);
        StorePath results = StorePath.local(dir.resolve("results"));
        LiveSweep live = new LiveSweep(search, results);
        LiveSweep.Snapshot first = live.snapshot();
        assertThat(first.rows()).hasSize(search.trials().size());
        assertThat(first.rows()).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("pending"));
        assertThat(first.live()).isTrue();
        assertThat(first.schedule().kind()).isEqualTo("asha");
        assertThat(first.schedule().rungs()).containsExactly(1, 3);
        assertThat(first.rows().get(0).get("sampled")).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).containsKeys("lr", "strength");

        Set<String> seen = ConcurrentHashMap.newKeySet();
        Map<String, Integer> pausedAt = new ConcurrentHashMap<>();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        CompletableFuture<SweepRunner.Summary> run = CompletableFuture.supplyAsync(() -> new SweepRunner(
                new PrintStream(log, true)).run(search, new SweepDriver.Options(results, null,
                Map.of("spark.ui.enabled", "false"), false), SimulatedTruth::task, live));
        while (!run.isDone()) {
            LiveSweep.Snapshot s = live.snapshot();
            s.rows().forEach(r -> seen.add((String) r.get("status")));
            pausedAt.putAll(s.pausedAt());
            Thread.sleep(5);
        }
        SweepRunner.Summary summary = run.get(1, TimeUnit.MINUTES);
        assertThat(seen).as("statuses seen while it ran").contains("pending", "paused", "finished", "stopped");
        assertThat(pausedAt.values()).as("rungs trials waited at").isSubsetOf(1, 3);

        LiveSweep.Snapshot end = live.snapshot();
        assertThat(end.live()).isFalse();
        assertThat(end.etaSeconds()).isNull();
        assertThat(live.spark()).as("the driver's session is not handed out once it stopped").isNull();
        assertThat(end.ended()).isEqualTo(search.trials().size());
        Map<String, String> recorded = new HashMap<>();
        for (Row r : SweepRunnerTest.rows(dir.resolve("results"), "trials", "true")) {
            recorded.put(r.getAs("trial_id"), r.getAs("status"));
        }
        for (Map<String, Object> r : end.rows()) {
            String id = (String) r.get("trial_id");
            assertThat(r.get("status")).as(id).isEqualTo(recorded.get(id));
            int done = (Integer) r.get("epochs_done");
            assertThat(live.epochs(id).size()).as(id + " epochs 0.." + done).isEqualTo(done + 1);
        }
        assertThat(summary.finished() + summary.stopped()).isEqualTo(search.trials().size());
    }

    /**
     * A tpe search knows no trial before it proposes it: the dashboard starts empty, gains each trial as the model
     * proposes it (pending, then running, paused, ended), and ends with every trial the search recorded.
     */
    @Test
    void aTpeSearchsTrialsAppearAsTheyAreProposed(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("tpe.conf");
        java.nio.file.Files.writeString(job, """
                name = tpe-live
                grid { method = [simclr], augs = [abcde], seed = [0] }
                search { samples = 12, sampler = tpe, startup = 4, seed = 3, lr = "loguniform(0.01, 1.0)" }
                trial { epochs = 3, data = /nonexistent }
                schedule { kind = asha, rungs = [1], reduction = 2 }
                """);
        SweepJob search = SweepJobs.load(job, List.of(), 1000);
        StorePath results = StorePath.local(dir.resolve("results"));
        LiveSweep live = new LiveSweep(search, results);
        assertThat(live.snapshot().rows()).isEmpty();
        // The schedule is known before the first proposal (the dashboard said "no schedule" until then).
        assertThat(live.snapshot().schedule()).isNotNull();
        assertThat(live.snapshot().schedule().rungs()).containsExactly(1);
        java.util.List<Integer> counts = new java.util.concurrent.CopyOnWriteArrayList<>();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        CompletableFuture<SweepRunner.Summary> run = CompletableFuture.supplyAsync(() -> new SweepRunner(
                new PrintStream(log, true)).run(search, new SweepDriver.Options(results, "local[2]",
                Map.of("spark.ui.enabled", "false"), false), SimulatedTruth::task, live));
        while (!run.isDone()) {
            counts.add(live.snapshot().rows().size());
            Thread.sleep(5);
        }
        run.get(1, TimeUnit.MINUTES);
        LiveSweep.Snapshot end = live.snapshot();
        assertThat(end.rows()).hasSize(12);
        assertThat(end.schedule().rungs()).containsExactly(1);
        assertThat(counts).as("trials known while it ran").anyMatch(n -> n > 0 && n < 12);
        Map<String, String> recorded = new HashMap<>();
        for (Row r : SweepRunnerTest.rows(dir.resolve("results"), "trials", "true")) {
            recorded.put(r.getAs("trial_id"), r.getAs("status"));
        }
        assertThat(recorded).hasSize(12);
        for (Map<String, Object> r : end.rows()) {
            assertThat(r.get("status")).as((String) r.get("trial_id")).isEqualTo(recorded.get(r.get("trial_id")));
        }
    }
}
