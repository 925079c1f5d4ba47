package dev.augsweep.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.augsweep.config.TrialConfigs;
import dev.augsweep.jvm.ChildJvm;
import dev.augsweep.testing.CifarArchives;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** download=auto against a real HTTP server on 127.0.0.1 that serves a small archive in the official layout. */
class DataLocationTest {
    @TempDir
    Path dir;
    private HttpServer server;
    private byte[] archive;
    private String md5;
    private final AtomicInteger requests = new AtomicInteger();
    /** Holds every response until released: lets contenders pile up behind the first download. */
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void serve() throws Exception {
        archive = Files.readAllBytes(CifarArchives.write(dir.resolve("served.tar.gz"), Dataset.CIFAR10, 1, 1, 7));
        md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(archive));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool()); // concurrent requests, were there any, all get in
        server.createContext("/cifar-10-binary.tar.gz", exchange -> {
            requests.incrementAndGet();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, archive.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(archive);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/cifar-10-binary.tar.gz");
    }

    private DataLocation location(String expectedMd5) {
        return new DataLocation(Dataset.CIFAR10, url(), expectedMd5, dir.resolve("cache"));
    }

    @Test
    void autoFetchesAMissingArchiveIntoTheCacheOnceAndReadsIt() {
        release.countDown();
        DataLocation location = location(md5);
        String nowhere = dir.resolve("nowhere/cifar-10-binary.tar.gz").toString();
        Path path = location.resolve(nowhere, DownloadPolicy.AUTO);
        assertThat(path).isEqualTo(dir.resolve("cache/cifar-10-binary.tar.gz"));
        assertThat(CifarReader.read(path, Dataset.CIFAR10).train().size()).isEqualTo(10);
        assertThat(CifarReader.read(path, Dataset.CIFAR10).test().size()).isEqualTo(10);
        assertThat(Files.exists(Path.of(nowhere))).isFalse();
        // Cached now: later trials, and later runs, read it without asking the server again.
        assertThat(location.resolve(nowhere, DownloadPolicy.AUTO)).isEqualTo(path);
        assertThat(requests).hasValue(1);
        // A path that exists always wins (the shipped copy stays the first choice), whatever the policy.
        Path shipped = dir.resolve("served.tar.gz");
        assertThat(location.resolve(shipped.toString(), DownloadPolicy.AUTO)).isEqualTo(shipped);
        assertThat(location.resolve(shipped.toString(), DownloadPolicy.NEVER)).isEqualTo(shipped);
        // download=false never asks; download=true fetches to the configured path itself.
        assertThatThrownBy(() -> location.resolve(nowhere, DownloadPolicy.NEVER))
                .isInstanceOf(CifarFormatException.class).hasMessageContaining("cifar10 not found at " + nowhere)
                .hasMessageContaining("set AUGSWEEP_DATA or data= to the path of cifar-10-binary.tar.gz or "
                        + "cifar-10-batches-bin")
                .hasMessageContaining("download=auto");
        assertThat(requests).hasValue(1);
        assertThat(location.resolve(nowhere, DownloadPolicy.TO_DATA_PATH)).isEqualTo(Path.of(nowhere));
        assertThat(Path.of(nowhere)).hasBinaryContent(archive);
        assertThat(requests).hasValue(2);
    }

    @Test
    void aWrongMd5IsRefusedAndNothingIsKept() throws Exception {
        release.countDown();
        String wrong = "0123456789abcdef0123456789abcdef";
        String nowhere = dir.resolve("nowhere.tar.gz").toString();
        assertThatThrownBy(() -> location(wrong).resolve(nowhere, DownloadPolicy.AUTO))
                .isInstanceOf(CifarFormatException.class)
                .hasMessageContaining("has MD5 " + md5 + ", expected " + wrong)
                .hasMessageContaining("was not kept");
        try (Stream<Path> files = Files.list(dir.resolve("cache"))) {
            // Only the lock file remains: no archive, no partial download.
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("cifar-10-binary.tar.gz.lock");
        }
        // The next attempt with the right checksum goes ahead.
        assertThat(location(md5).resolve(nowhere, DownloadPolicy.AUTO)).hasBinaryContent(archive);
    }

    @Test
    void contendersInThreadsAndAnotherProcessDownloadOnce() throws Exception {
        Path cache = dir.resolve("cache");
        String nowhere = dir.resolve("nowhere.tar.gz").toString();
        Path crashes = Files.createDirectories(dir.resolve("crashes"));
        Process child = ChildJvm.start(ChildJvm.command(Contender.class, List.of("-Xmx64m"), crashes,
                List.of(url().toString(), md5, cache.toString(), nowhere)), Map.of());
        BufferedReader childOut = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8));
        List<String> childLines = new ArrayList<>();
        for (String line = childOut.readLine(); line != null && !line.equals("contender: resolving");
             line = childOut.readLine()) {
            childLines.add(line);
        }
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                results.add(threads.submit(() -> {
                    start.await();
                    return location(md5).resolve(nowhere, DownloadPolicy.AUTO);
                }));
            }
            start.countDown();
            Thread.sleep(1000); // the first download is held; everyone else queues behind it
            assertThat(requests).hasValue(1);
            release.countDown();
            for (Future<Path> r : results) {
                assertThat(r.get(60, TimeUnit.SECONDS)).isEqualTo(cache.resolve("cifar-10-binary.tar.gz"));
            }
        } finally {
            threads.shutdownNow();
        }
        for (String line = childOut.readLine(); line != null; line = childOut.readLine()) {
            childLines.add(line);
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(String.join("\n", childLines)).isZero();
        assertThat(childLines).contains("contender: resolved " + cache.resolve("cifar-10-binary.tar.gz"));
        assertThat(requests).hasValue(1);
        assertThat(cache.resolve("cifar-10-binary.tar.gz")).hasBinaryContent(archive);
    }

    @Test
    void offlineAutoSaysWhereTheDataWasLookedForAndWhatToSet() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Path cache = dir.resolve("cache");
        DataLocation offline = new DataLocation(Dataset.CIFAR10,
                URI.create("http://127.0.0.1:" + closed + "/cifar-10-binary.tar.gz"), md5, cache);
        String nowhere = dir.resolve("nowhere.tar.gz").toString();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> offline.resolve(nowhere, DownloadPolicy.AUTO))
                .isInstanceOf(CifarFormatException.class)
                .hasMessageContaining("cifar10 not found at " + nowhere)
                .hasMessageContaining("nor in the cache (" + cache.resolve("cifar-10-binary.tar.gz") + ")")
                .hasMessageContaining("ConnectException")
                .hasMessageContaining("this machine may be offline")
                .hasMessageContaining("set AUGSWEEP_DATA or data=");
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(20));
        assertThat(Files.exists(cache.resolve("cifar-10-binary.tar.gz"))).isFalse();
        // The default (no AUGSWEEP_DATA): the user cache, whose error names what a user offline sets.
        assertThatThrownBy(() -> offline.resolve(DataLocation.CACHE, DownloadPolicy.AUTO))
                .isInstanceOf(CifarFormatException.class)
                .hasMessageContaining("cifar10 is not in the user cache (" + cache.resolve("cifar-10-binary.tar.gz"))
                .hasMessageContaining("set AUGSWEEP_DATA or data= to the path of a copy you have");
        assertThatThrownBy(() -> offline.resolve(DataLocation.CACHE, DownloadPolicy.NEVER))
                .isInstanceOf(CifarFormatException.class).hasMessageContaining("download = false")
                .hasMessageContaining("set AUGSWEEP_DATA");
    }

    /** With no path configured, the default reads the user cache, fetching the archive there once. */
    @Test
    void theDefaultIsTheUserCache() {
        release.countDown();
        DataLocation location = location(md5);
        Path path = location.resolve(DataLocation.CACHE, DownloadPolicy.AUTO);
        assertThat(path).isEqualTo(dir.resolve("cache/cifar-10-binary.tar.gz"));
        assertThat(location.resolve(DataLocation.CACHE, DownloadPolicy.NEVER)).isEqualTo(path);
        assertThat(requests).hasValue(1);
        assertThat(TrialConfigs.load(null, List.of()).runtime().data())
                .isEqualTo(System.getenv("AUGSWEEP_DATA") == null ? DataLocation.CACHE : System.getenv("AUGSWEEP_DATA"));
    }

    @Test
    void theCacheFollowsAugsweepCacheThenXdgThenHome() {
        assertThat(UserCache.dir(Map.of("AUGSWEEP_CACHE", "/a/b", "XDG_CACHE_HOME", "/x"), "/home/u"))
                .isEqualTo(Path.of("/a/b"));
        assertThat(UserCache.dir(Map.of("XDG_CACHE_HOME", "/x"), "/home/u")).isEqualTo(Path.of("/x/augsweep"));
        assertThat(UserCache.dir(Map.of("XDG_CACHE_HOME", "relative"), "/home/u"))
                .isEqualTo(Path.of("/home/u/.cache/augsweep"));
        assertThat(UserCache.dir(Map.of(), "/home/u")).isEqualTo(Path.of("/home/u/.cache/augsweep"));
    }

    /** Another process wanting the same archive at the same time, as a second sweep worker would. */
    public static final class Contender {
        public static void main(String[] args) {
            System.out.println("contender: resolving");
            System.out.flush();
            Path p = new DataLocation(Dataset.CIFAR10, URI.create(args[0]), args[1], Path.of(args[2]))
                    .resolve(args[3], DownloadPolicy.AUTO);
            System.out.println("contender: resolved " + p);
        }
    }
}
