package dev.augsweep.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.driver.SweepDriver;
import dev.augsweep.job.SweepJob;
import dev.augsweep.job.SweepJobs;
import dev.augsweep.results.SparkSessions;
import dev.augsweep.storage.StorePath;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sampler = tpe through the real driver, results store and schedule, its trials simulated ({@link SimulatedTrials}:
 * a kNN curve that peaks at lr 0.1 and grows with strength): the model proposes as results arrive, the same job and
 * seed with the same arrival order propose the same points, and a search extended later keeps its recorded points.
 */
class TpeSearchTest {
    private static Path job(Path dir, String name, int samples, String extra) throws Exception {
        Path job = dir.resolve(name + ".conf");
        Files.writeString(job, """
                name = %s
                grid { method = [simclr], augs = [abcde], seed = [0] }
                search { samples = %d, sampler = tpe, startup = 6, seed = 3, lr = "loguniform(0.01, 1.0)", strength = "uniform(0.1, 1.0)" }
                trial { epochs = 3, data = /nonexistent }
                %s
                """.formatted(name, samples, extra));
        return job;
    }

    /** One unit at a time (local[2] keeps a slot for commits), so that results arrive in one order every run. */
    private static SweepRunner.Summary run(Path job, Path results, ByteArrayOutputStream log) {
        SweepJob sweep = SweepJobs.load(job, List.of(), 1000);
        return new SweepRunner(new PrintStream(log, true)).run(sweep, new SweepDriver.Options(StorePath.local(results),
                "local[2]", Map.of("spark.ui.enabled", "false", SparkSessions.COMMIT_SLOTS, "1"), false),
                SimulatedTruth::task);
    }

    /** The trials by sample index: [index, lr, strength, knn]. */
    private static List<double[]> points(Path results) {
        return SweepRunnerTest.rows(results, "trials", "true").stream().map(r -> new double[] {
                r.<Integer>getAs("sample"), r.<scala.collection.Map<String, Double>>getAs("sampled").apply("lr"),
                r.<scala.collection.Map<String, Double>>getAs("sampled").apply("strength"),
                r.<Double>getAs("knn_top1_best")}).sorted(Comparator.comparingDouble(p -> p[0])).toList();
    }

    @Test
    void theModelProposesAsResultsArriveTheSameWayTwiceAndLearns(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SweepRunner.Summary first = run(job(dir, "tpe", 24, ""), dir.resolve("a"), log);
        assertThat(first.finished()).as("log:%n%s", log).isEqualTo(24);
        List<double[]> a = points(dir.resolve("a"));
        assertThat(a).hasSize(24);
        assertThat(a.stream().mapToDouble(p -> p[0]).distinct().count()).isEqualTo(24);
        List<double[]> b = points(runAgain(dir));
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i)).as("sample %d", i).containsExactly(a.get(i));
        }
        // The model's 18 points score better than the 6 Sobol' points it started from.
        double startup = a.subList(0, 6).stream().mapToDouble(p -> p[3]).average().orElseThrow();
        double modelled = a.subList(12, 24).stream().mapToDouble(p -> p[3]).average().orElseThrow();
        assertThat(modelled).as("startup %.2f, model %.2f", startup, modelled).isGreaterThan(startup);
    }

    private static Path runAgain(Path dir) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SweepRunner.Summary again = run(job(dir, "tpe", 24, ""), dir.resolve("b"), log);
        assertThat(again.finished()).as("log:%n%s", log).isEqualTo(24);
        return dir.resolve("b");
    }

    @Test
    void withAshaTheModelLearnsFromRungsAndEveryTrialIsRecordedOnce(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SweepRunner.Summary s = run(job(dir, "tpe-asha", 18, "schedule { kind = asha, rungs = [1], reduction = 3 }"),
                dir.resolve("r"), log);
        assertThat(s.finished() + s.stopped()).as("log:%n%s", log).isEqualTo(18);
        assertThat(s.stopped()).isPositive();
        List<Row> rows = SweepRunnerTest.rows(dir.resolve("r"), "trials", "true");
        assertThat(rows.stream().map(r -> r.<String>getAs("trial_id")).distinct().count()).isEqualTo(18);
    }

    @Test
    void anExtendedSearchKeepsItsPointsAndAChangedRangeIsRefused(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("x");
        run(job(dir, "grow", 8, ""), results, new ByteArrayOutputStream());
        List<double[]> eight = points(results);
        SimulatedTruth.WRITTEN.clear();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SweepRunner.Summary more = run(job(dir, "grow", 12, ""), results, log);
        assertThat(more.finished()).as("log:%n%s", log).isEqualTo(12);
        assertThat(SimulatedTruth.WRITTEN).as("only the new points trained").hasSize(4);
        List<double[]> twelve = points(results);
        for (int i = 0; i < 8; i++) {
            assertThat(twelve.get(i)).containsExactly(eight.get(i));
        }
        Path changed = dir.resolve("grow.conf");
        Files.writeString(changed, Files.readString(changed).replace("loguniform(0.01, 1.0)", "loguniform(0.001, 1.0)"));
        assertThatThrownBy(() -> run(changed, results, new ByteArrayOutputStream()))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("search.lr is loguniform(0.001, 1.0)").hasMessageContaining("but was "
                        + "loguniform(0.01, 1.0)").hasMessageContaining("start a new search");
    }
}
