package dev.augsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.storage.Storage;
import dev.augsweep.testing.LocalS3;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees when a results store on S3 fails (a real S3 server in this JVM, S3Proxy): one line, {@code error:
 * ...}, naming the path, what S3 said and the fix, exit status 2, within seconds, for the commands that take
 * --results: wrong keys, a missing bucket, an endpoint that is not there, a policy that denies writes. The secret
 * key appears in no output and no error, stack traces included, nor in a driver's whole log.
 */
class S3StorageErrorsTest {
    @RegisterExtension
    static final LocalS3 S3 = new LocalS3();
    private static final String WRONG_SECRET = "augsweep-WRONG-secret-Zq9x-do-not-print";

    @AfterEach
    void usualSettings() {
        Storage.configure(Storage.hadoopSettings(Map.of()));
    }

    /** What a command printed, on stdout and stderr, and its exit status. */
    record Result(int code, String out, String err) {
        String line() {
            return err.strip();
        }
    }

    private static Result run(List<String> args) {
        StringWriter err = new StringWriter();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int code;
        try {
            PrintStream both = new PrintStream(printed, true, StandardCharsets.UTF_8);
            System.setOut(both);
            System.setErr(both);
            code = Main.commandLine().setErr(new PrintWriter(err, true)).execute(args.toArray(String[]::new));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        return new Result(code, printed.toString(StandardCharsets.UTF_8), err.toString());
    }

    private static List<String> args(Map<String, String> hadoop, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        LocalS3.spark(hadoop).forEach((k, v) -> all.addAll(List.of("--conf", k + "=" + v)));
        return all;
    }

    private static Path job(Path dir) throws Exception {
        return OneTrialJob.write(dir);
    }

    private static void assertOneLine(Result r, String... expected) {
        assertThat(r.code()).as(r.err()).isEqualTo(UserErrors.USER_ERROR);
        assertThat(r.line()).as("one line, no stack trace").startsWith("error: ").doesNotContain("\n")
                .doesNotContain("\tat ").contains(expected);
        assertNoSecret(r.out() + r.err());
    }

    private static void assertNoSecret(String text) {
        assertThat(text).doesNotContain(LocalS3.SECRET_KEY).doesNotContain(WRONG_SECRET);
    }

    /** Each of tables, sql and run, with --results there; the three within a minute. */
    private void eachCommand(Path dir, String results, Map<String, String> hadoop, String... said) throws Exception {
        long start = System.nanoTime();
        assertOneLine(run(args(hadoop, "tables", "--results", results)), said);
        assertOneLine(run(args(hadoop, "sql", "--results", results, "SELECT 1")), said);
        assertOneLine(run(args(hadoop, "run", job(dir).toString(), "--results", results)), said);
        assertThat((System.nanoTime() - start) / 1e9).as("seconds for the three").isLessThan(60);
    }

    @Test
    void wrongKeysAreNamedWithTheFixAndTheSecretIsNeverShown(@TempDir Path dir) throws Exception {
        String results = S3.uri("sweeps/keys");
        eachCommand(dir, results, S3.hadoop(WRONG_SECRET), "S3 at " + S3.endpoint() + " refused the credentials for "
                + results, "SignatureDoesNotMatch: the secret key does not belong to the access key",
                "--conf spark.hadoop.fs.s3a.secret.key=...");
        Result verbose = run(args(S3.hadoop(WRONG_SECRET), "tables", "--verbose", "--results", results));
        assertThat(verbose.err()).contains("\tat ").contains("error: S3 at ");
        assertNoSecret(verbose.out() + verbose.err());

        Map<String, String> unknownKey = new HashMap<>(S3.hadoop());
        unknownKey.put("fs.s3a.access.key", "nobody");
        assertOneLine(run(args(unknownKey, "tables", "--results", results)), "InvalidAccessKeyId: the access key is "
                + "unknown");
    }

    @Test
    void aMissingBucketIsNamed(@TempDir Path dir) throws Exception {
        eachCommand(dir, "s3a://no-such-bucket/sweeps/x", S3.hadoop(), "bucket 'no-such-bucket' does not exist at "
                + S3.endpoint() + " (NoSuchBucket), for s3a://no-such-bucket/sweeps/x", "aws s3 mb s3://no-such-bucket");
    }

    @Test
    void anEndpointThatIsNotThereIsNamedWithinSeconds(@TempDir Path dir) throws Exception {
        Map<String, String> down = new HashMap<>(S3.hadoop());
        down.put("fs.s3a.endpoint", "http://127.0.0.1:1");
        String results = S3.uri("sweeps/down");
        eachCommand(dir, results, down, "cannot reach the S3 endpoint http://127.0.0.1:1 for " + results,
                "Connection refused", "check spark.hadoop.fs.s3a.endpoint");
        Map<String, String> unknown = new HashMap<>(S3.hadoop());
        unknown.put("fs.s3a.endpoint", "http://no-such-host.invalid:9000");
        assertOneLine(run(args(unknown, "tables", "--results", results)), "unknown host 'no-such-host.invalid', the "
                + "S3 endpoint for " + results);
    }

    @Test
    void writesThatAPolicyDeniesAreNamedAsSuch(@TempDir Path dir) throws Exception {
        S3.denyWritesUnder("read-only/");
        String results = S3.uri("read-only/sweep");
        assertOneLine(run(args(S3.hadoop(), "run", job(dir).toString(), "--results", results)), "access denied to "
                + results, "(403 AccessDenied): the credentials were accepted, but their policy does not allow this",
                "s3:PutObject");
    }

    /**
     * The whole output of a driver process whose keys S3 refuses, with --verbose: every log line and the stack
     * trace of every cause. The secret is on its command line (given by --conf), and nowhere else.
     */
    @Test
    void aDriversWholeOutputNeverShowsTheSecret(@TempDir Path dir) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "-Dai.djl.offline=true", "dev.augsweep.cli.Main", "run",
                "--verbose", job(dir).toString(), "--results", S3.uri("sweeps/logged")));
        command.addAll(args(S3.hadoop(WRONG_SECRET)));
        Path log = dir.resolve("driver.log");
        Process driver = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(driver.waitFor(120, TimeUnit.SECONDS)).as("ends within 2 minutes").isTrue();
        String output = Files.readString(log);
        assertThat(driver.exitValue()).as(output).isEqualTo(UserErrors.USER_ERROR);
        assertThat(output).contains("error: S3 at ").contains("SignatureDoesNotMatch").contains("\tat ");
        assertNoSecret(output);
    }
}
