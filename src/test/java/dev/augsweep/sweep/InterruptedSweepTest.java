package dev.augsweep.sweep;

import static dev.augsweep.sweep.SweepRunnerTest.TINY;
import static dev.augsweep.sweep.SweepRunnerTest.job;
import static dev.augsweep.sweep.SweepRunnerTest.rows;
import static dev.augsweep.sweep.SweepRunnerTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.jvm.CrashLog;
import dev.augsweep.jvm.TestPause;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C (SIGINT) at three moments of `augsweep run`, each in a driver JVM of its own, each run the same command
 * again: while Spark starts, while a trial trains, and in the middle of committing results (between the epochs' and
 * the trials' tables). Each must end with one line and exit 130, print no stack trace, and the final rerun must
 * record every trial exactly once.
 */
class InterruptedSweepTest {
    private static final String STOPPED = "stopped; run the same command again to resume";
    private static final long WAIT_MS = 300_000;

    @Test
    void ctrlCAtAnyMomentEndsInOneLineAndTheRerunRecordsEveryTrialOnce(@TempDir Path dir) throws Exception {
        assertThat(sigintIgnored()).as("this JVM inherited SIGINT ignored (SigIgn in /proc/self/status), and so would "
                + "the driver it starts: Ctrl-C cannot be tested. A non-interactive shell ignores SIGINT in the jobs "
                + "it puts in the background (`(cmd &)`, `nohup cmd &` in a script); run .ci/run in the foreground or "
                + "from a shell with job control (set -m)").isFalse();
        Path job = job(dir, "method = [simclr], augs = [abc, ab], seed = [0]", 2);
        Path results = dir.resolve("results");
        interrupt(dir, job, results, "spark", "^\\[driver\\] starting Spark.*", null);
        interrupt(dir, job, results, "training", ".*trial .* on .*: starting epoch 1 of 2.*", null);
        interrupt(dir, job, results, "commit", "^" + TestPause.MARK + "between-commits$", "between-commits");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SweepRunner.Summary s = run(job, results, null, false, List.of(), log);
        assertThat(s.finished()).as("log:%n%s", log).isEqualTo(2);
        List<Row> trials = rows(results, "trials", "true");
        assertThat(trials.stream().map(r -> r.<String>getAs("trial_id")).distinct().count()).isEqualTo(trials.size())
                .isEqualTo(2);
        assertThat(rows(results, "epochs", "epoch >= 1")).hasSize(4);
    }

    /** Whether the kernel delivers SIGINT to this process as ignored (Linux; elsewhere assumed not). */
    private static boolean sigintIgnored() throws java.io.IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 1)) != 0; // SIGINT is 2
            }
        }
        return false;
    }

    /** Runs the sweep in a driver JVM, sends SIGINT once a line matches {@code when}, and checks how it ended. */
    private static void interrupt(Path dir, Path job, Path results, String name, String when, String pause)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path")));
        command.addAll(JvmFlags.SPARK_OPENS);
        command.addAll(List.of("-Dai.djl.offline=true", CrashLog.errorFileFlag(dir)));
        if (pause != null) {
            command.add("-D" + TestPause.PROPERTY + "=" + pause);
        }
        command.addAll(List.of("dev.augsweep.cli.Main", "run", job.toString(), "--results", results.toString(),
                "--conf", "spark.ui.enabled=false", "--conf", "spark.task.cpus=1"));
        command.addAll(TINY);
        Path log = dir.resolve(name + ".log");
        Process driver = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (Files.readAllLines(log).stream().noneMatch(l -> l.matches(when))) {
            assertThat(driver.isAlive()).as("%s: the driver ended before '%s'; log:%n%s", name, when,
                    Files.readString(log)).isTrue();
            assertThat(System.currentTimeMillis()).as("%s: no '%s' yet", name, when).isLessThan(deadline);
            Thread.sleep(20);
        }
        int sentAt = Files.readAllLines(log).size();
        new ProcessBuilder("kill", "-INT", Long.toString(driver.pid())).start().waitFor();
        assertThat(driver.waitFor(60, TimeUnit.SECONDS)).as("%s: still running after SIGINT", name).isTrue();
        List<String> lines = Files.readAllLines(log);
        List<String> after = lines.subList(Math.min(sentAt, lines.size()), lines.size()).stream()
                .filter(l -> !l.isBlank()).toList();
        assertThat(driver.exitValue()).as("%s; log:%n%s", name, String.join("\n", lines)).isEqualTo(130);
        assertThat(after).as("%s: what followed SIGINT", name).last().isEqualTo(STOPPED);
        assertThat(after).as("%s: what followed SIGINT", name)
                .noneMatch(l -> l.contains("Exception") || l.contains("\tat ") || l.contains("bug in Spark"));
    }
}
