package dev.augsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the readers say beside their answer: which results they read, and a note about older rows once. */
class ReadersSayTest {
    @Test
    void withoutResultsTheDirectoryReadIsNamed() {
        PrintStream stderr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.commandLine().setErr(new PrintWriter(new StringWriter(), true)).execute("sql",
                    "SELECT count(*) FROM trials");
            assertThat(code).isZero();
        } finally {
            System.setErr(stderr);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("reading ")
                .contains("choose with --results DIR");
    }

    @Test
    void aNoteIsSaidOnceForItsResults() {
        String about = "results-" + UUID.randomUUID();
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        OnceNotes.say(new PrintStream(first, true, StandardCharsets.UTF_8), about, "note: older rows");
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        OnceNotes.say(new PrintStream(second, true, StandardCharsets.UTF_8), about, "note: older rows");
        ByteArrayOutputStream other = new ByteArrayOutputStream();
        OnceNotes.say(new PrintStream(other, true, StandardCharsets.UTF_8), about + "-other", "note: older rows");
        assertThat(first.toString(StandardCharsets.UTF_8)).startsWith("note: older rows");
        assertThat(second.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(other.toString(StandardCharsets.UTF_8)).startsWith("note: older rows");
    }

    /** A step still running after the threshold says what it does on stderr (here the threshold is 0). */
    @Test
    void slowStepsSayWhatTheyDoOnStderrOnly() {
        PrintStream stderr = System.err;
        PrintStream stdout = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setProperty("augsweep.slow-step-ms", "0");
        try {
            assertThat(Main.commandLine().execute("tables", "--results", "docs/results/cpu-paper-v2")).isZero();
        } finally {
            System.clearProperty("augsweep.slow-step-ms");
            System.setErr(stderr);
            System.setOut(stdout);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("starting Spark to read ").contains("docs/results/cpu-paper-v2 ...")
                .contains("computing the tables ...");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain(" ...").contains("kNN top-1");
    }

    @Test
    void aQuickStepSaysNothing() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (SlowStep s = SlowStep.start(new PrintStream(err, true, StandardCharsets.UTF_8), "quick")) {
            Thread.sleep(10);
        }
        Thread.sleep(SlowStep.THRESHOLD_MS + 200);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
