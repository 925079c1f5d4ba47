package dev.augsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `augsweep train --out DIR`: another trial's run there is never overwritten unasked, a finished one not redone. */
class TrainCommandTest {
    private static final List<String> TINY = List.of("width=0.0625", "train-limit=128", "test-limit=64",
            "batch-size=32", "epochs=1", "threads=2", "data=" + TestData.archive().toAbsolutePath());

    /** Exit status, standard output and standard error of one command. */
    private record Result(int code, String out, String err) {
    }

    private static Result train(Path dir, String... args) {
        List<String> all = new ArrayList<>(List.of("train", "--out", dir.toString()));
        all.addAll(TINY);
        all.addAll(List.of(args));
        StringWriter err = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int code = Main.commandLine().setErr(new PrintWriter(err, true)).execute(all.toArray(String[]::new));
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(stdout);
        }
    }

    @Test
    void anotherTrialsRunIsRefusedUnlessOverwrittenAndAFinishedOneIsDoneAtOnce(@TempDir Path dir) throws Exception {
        Result first = train(dir, "seed=0");
        assertThat(first.code()).as(first.err()).isZero();
        byte[] checkpoint = Files.readAllBytes(dir.resolve("checkpoint.bin"));
        String result = Files.readString(dir.resolve("result.json"));
        String firstId = result.replaceAll("(?s).*\"trial_id\"\\s*:\\s*\"([^\"]+)\".*", "$1");

        Result other = train(dir, "seed=1");
        assertThat(other.code()).isEqualTo(UserErrors.USER_ERROR);
        assertThat(other.err()).startsWith("error: ").contains("holds the run of trial " + firstId)
                .contains("(checkpoint at epoch 1, result.json)").contains("add --overwrite to replace it")
                .doesNotContain("\tat ");
        assertThat(Files.readAllBytes(dir.resolve("checkpoint.bin"))).isEqualTo(checkpoint);
        assertThat(Files.readString(dir.resolve("result.json"))).isEqualTo(result);

        Result again = train(dir, "seed=0");
        assertThat(again.code()).isZero();
        assertThat(again.out()).contains("trial " + firstId + " is done already (1 epochs)")
                .doesNotContain("untrained control").doesNotContain("resuming");
        assertThat(Files.readAllBytes(dir.resolve("checkpoint.bin"))).isEqualTo(checkpoint);

        Result replaced = train(dir, "seed=1", "--overwrite");
        assertThat(replaced.code()).as(replaced.err()).isZero();
        assertThat(replaced.out()).contains("replacing the run of trial " + firstId);
        assertThat(Files.readString(dir.resolve("result.json"))).doesNotContain(firstId).contains("\"seed\" : 1");
    }
}
