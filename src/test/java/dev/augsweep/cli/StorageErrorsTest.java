package dev.augsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.storage.Storage;
import dev.augsweep.testing.LocalHdfs;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.security.UserGroupInformation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees when the results store fails: one line, {@code error: ...}, naming the path, what happened and
 * the fix, exit status 2, no stack trace (that is for --verbose), for the commands that take --results or data=.
 * On an in-process HDFS (MiniDFSCluster) for permissions and quotas, and on endpoints that cannot serve.
 */
class StorageErrorsTest {
    @RegisterExtension
    static final LocalHdfs HDFS = new LocalHdfs();
    @AfterEach
    void freshFileSystems() {
        // file systems opened as another user are not kept: other settings, then the usual ones, open them anew
        Storage.configure(Map.of("augsweep.test.user", "none"));
        Storage.configure(Map.of());
    }

    /** What a command printed on stderr and its exit status. */
    record Result(int code, String err) {
        String line() {
            return err.strip();
        }
    }

    private static Result run(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err, true)).execute(args);
        return new Result(code, err.toString());
    }

    private static Result runAs(String user, String... args) throws Exception {
        // A new settings map: Storage opens its file systems afresh, as this user.
        return UserGroupInformation.createRemoteUser(user).doAs((PrivilegedExceptionAction<Result>) () -> {
            Storage.configure(Map.of("augsweep.test.user", user));
            return run(args);
        });
    }

    private static Path job(Path dir) throws Exception {
        return OneTrialJob.write(dir);
    }

    private static void assertOneLine(Result r, String... expected) {
        assertThat(r.code()).as(r.err()).isEqualTo(UserErrors.USER_ERROR);
        assertThat(r.line()).as("one line, no stack trace").startsWith("error: ").doesNotContain("\n")
                .doesNotContain("\tat ").contains(expected);
    }

    @Test
    void anUnreachableNameNodeIsNamedWithTheFixForEveryCommandThatReadsResults(@TempDir Path dir) throws Exception {
        String nothing = "hdfs://localhost:1/nothing";
        String[] said = {"cannot reach hdfs://localhost:1 for " + nothing, "Connection refused",
            "is the name node running there?", "src/test/cluster/local-hdfs.sh start"};
        long start = System.nanoTime();
        assertOneLine(run("tables", "--results", nothing), said);
        assertOneLine(run("sql", "--results", nothing, "SELECT 1"), said);
        assertOneLine(run("run", job(dir).toString(), "--results", nothing), said);
        assertThat((System.nanoTime() - start) / 1e9).as("seconds for the three").isLessThan(60);
        Result verbose = run("tables", "--verbose", "--results", nothing);
        assertThat(verbose.code()).isEqualTo(UserErrors.USER_ERROR);
        assertThat(verbose.err()).contains("\tat ").contains("error: cannot reach");
    }

    @Test
    void anUnknownHostAndAPortThatIsNotHdfsAreToldApart(@TempDir Path dir) throws Exception {
        assertOneLine(run("tables", "--results", "hdfs://no-such-host.invalid:8020/x"),
                "unknown host 'no-such-host.invalid' in hdfs://no-such-host.invalid:8020/x",
                "check the host name in --results or data=");
        try (ServerSocket web = new ServerSocket(0)) {
            Thread server = new Thread(() -> answerLikeAWebServer(web));
            server.setDaemon(true);
            server.start();
            String notHdfs = "hdfs://localhost:" + web.getLocalPort() + "/x";
            assertOneLine(run("tables", "--results", notHdfs), "answered, but not as an HDFS name node, for "
                    + notHdfs, "check the port");
        }
    }

    @Test
    void dataOnAnUnreachableStoreIsNamedBeforeAnythingRuns(@TempDir Path dir) throws Exception {
        assertOneLine(run("run", job(dir).toString(), "--results", dir.resolve("results").toString(),
                "data=hdfs://localhost:1/cifar-10-binary.tar.gz"), "cannot reach hdfs://localhost:1",
                "hdfs://localhost:1/cifar-10-binary.tar.gz");
    }

    @Test
    void permissionDeniedIsNamedAsSuch(@TempDir Path dir) throws Exception {
        FileSystem fs = HDFS.cluster().getFileSystem();
        org.apache.hadoop.fs.Path owned = new org.apache.hadoop.fs.Path("/owned-by-root");
        fs.mkdirs(owned, new FsPermission((short) 0755));
        String results = HDFS.uri() + "/owned-by-root/sweep";
        assertOneLine(runAs("alice", "run", job(dir).toString(), "--results", results), "permission denied on "
                + results, "user=alice", "hdfs dfs -chmod or -chown", "or pass another --results");
    }

    @Test
    void aFullQuotaAndAParentThatIsAFileAreNamed(@TempDir Path dir) throws Exception {
        FileSystem fs = HDFS.cluster().getFileSystem();
        org.apache.hadoop.fs.Path full = new org.apache.hadoop.fs.Path("/full");
        fs.mkdirs(full);
        fs.setQuota(full, 1, Long.MAX_VALUE); // the directory itself is its one name
        assertOneLine(run("run", job(dir).toString(), "--results", HDFS.uri() + "/full/sweep"),
                "the quota of a directory above " + HDFS.uri() + "/full/sweep", "is used up", "hdfs dfsadmin -setSpaceQuota");
        try (var out = fs.create(new org.apache.hadoop.fs.Path("/a-file"))) {
            out.write(1);
        }
        assertOneLine(run("run", job(dir).toString(), "--results", HDFS.uri() + "/a-file/sweep"),
                "a parent of " + HDFS.uri() + "/a-file/sweep", "is a file, not a directory");
    }

    /** What a web server (or anything but a name node) on the port does to Hadoop's RPC client. */
    private static void answerLikeAWebServer(ServerSocket web) {
        while (!web.isClosed()) {
            try (Socket s = web.accept(); OutputStream out = s.getOutputStream()) {
                out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (Exception e) {
                return;
            }
        }
    }
}
