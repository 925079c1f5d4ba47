package dev.augsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.driver.SparkShutDownException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input a new user tried that ended in a stack trace: each is one {@code error:} line (with its problems listed
 * under it) that names what is wrong and the fix, exit status 2, before any work starts.
 */
class CliErrorsTest {
    private record Result(int code, String err) {
    }

    private static Result run(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err, true)).execute(args);
        return new Result(code, err.toString());
    }

    private static void assertError(Result r, String... expected) {
        assertThat(r.code()).as(r.err()).isEqualTo(UserErrors.USER_ERROR);
        assertThat(r.err()).startsWith("error: ").doesNotContain("\tat ").doesNotContain("Exception").contains(expected);
    }

    private static Path job(Path dir) throws Exception {
        return OneTrialJob.write(dir);
    }

    @Test
    void resultsThatAreAFileOrCannotBeWrittenAreNamed(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        assertError(run("run", job(dir).toString(), "--results", file.toString()),
                "--results " + file + " is a file, or lies under one", "pass a directory");
        assertError(run("run", job(dir).toString(), "--results", file.resolve("below").toString()),
                "is a file, or lies under one");
        // Not writable even by root: the kernel's sysfs.
        assertError(run("run", job(dir).toString(), "--results", "/sys/augsweep-results"),
                "cannot write to --results /sys/augsweep-results", "pass a directory you can write");
    }

    @Test
    void aSparkSettingOfTheWrongTypeIsNamedBeforeSparkStarts(@TempDir Path dir) throws Exception {
        assertError(run("run", job(dir).toString(), "--results", dir.resolve("r").toString(), "--conf",
                "spark.task.cpus=abc"), "spark.task.cpus = 'abc' is refused by Spark", "'int' value",
                "Fix --conf spark.task.cpus");
    }

    @Test
    void sqlReadsResultsOnlyAndNamesTheViewsThatExist() {
        String shipped = "docs/results/cpu-paper-v2";
        assertError(run("sql", "--results", shipped, "DELETE FROM trials"),
                "sql only reads results, and 'DELETE FROM trials' would change them");
        assertError(run("sql", "--results", shipped, "SELECT count(*) FROM trails"),
                "these results have no view trails (did you mean 'trials'?)", "their views are trials, epochs");
    }

    @Test
    void aSweepWhoseSparkWasStoppedUnderItEndsWithItsOneLineNotTheCommitItCutShort() {
        // As `kill` (SIGTERM) leaves a run: Spark's hooks stop it, a commit in flight fails inside Spark.
        SparkShutDownException stopped = new SparkShutDownException("Spark was shut down while 3 "
                + "units were queued or running; run the same command again to go on");
        stopped.addSuppressed(new IllegalStateException("could not record results in the results tables",
                new RuntimeException("[INTERNAL_ERROR] Executed command failed. You hit a bug in Spark")));
        StringWriter err = new StringWriter();
        int code = new UserErrors(cmd -> false).handleExecutionException(stopped,
                Main.commandLine().setErr(new PrintWriter(err, true)), null);
        assertError(new Result(code, err.toString()), "Spark was shut down while 3 units",
                "run the same command again to go on");
        assertThat(err.toString()).doesNotContain("INTERNAL_ERROR");
    }
}
