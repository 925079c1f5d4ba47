package dev.augsweep.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Fetches an official CIFAR binary archive, checking its MD5. Callers that want the same file at once (a sweep's
 * workers are several JVMs on one machine, a JVM may run several tasks) fetch it once: the first holds a lock,
 * the others wait for it and then find the file.
 */
public final class CifarDownloader {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
    /** Until the response's headers arrive; the body of 170 MB takes what it takes. */
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    /** FileChannel locks belong to the whole JVM (a second lock() in it throws), so its threads queue here first. */
    private static final ConcurrentHashMap<Path, Object> IN_THIS_JVM = new ConcurrentHashMap<>();

    private CifarDownloader() {
    }

    /**
     * Makes {@code to} exist, downloading {@code from} unless another thread or process did meanwhile.
     *
     * @return whether this call downloaded it
     */
    public static boolean download(URI from, String expectedMd5, Path to) {
        Path target = to.toAbsolutePath().normalize();
        Path lockFile = target.resolveSibling(target.getFileName() + ".lock");
        synchronized (IN_THIS_JVM.computeIfAbsent(target, k -> new Object())) {
            try {
                Files.createDirectories(target.getParent());
                try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
                    if (Files.exists(target)) {
                        return false;
                    }
                    removeLeftovers(target);
                    fetch(from, expectedMd5, target);
                    return true;
                }
            } catch (IOException e) {
                throw new CifarFormatException("cannot download " + from + " (" + reason(e) + "); this machine may "
                        + "be offline: copy " + target.getFileName() + " to " + target
                        + ", or set data=<path> to an existing copy", e);
            }
        }
    }

    private static void fetch(URI from, String expectedMd5, Path target) throws IOException {
        // A name of this process's own: nobody else reads a half-written file, and a killed download is no
        // one's to finish (the next holder of the lock removes it).
        Path partial = target.resolveSibling(target.getFileName() + ".part-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            System.err.println("augsweep: downloading " + from + " to " + target + " (MD5-checked)...");
            HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            HttpResponse<InputStream> response = client.send(
                    HttpRequest.newBuilder(from).timeout(RESPONSE_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            try (InputStream in = new DigestInputStream(response.body(), md5)) {
                if (response.statusCode() != 200) {
                    throw new CifarFormatException("downloading " + from + " answered HTTP " + response.statusCode()
                            + "; place " + target.getFileName() + " at " + target + " by hand, or set data=<path> to "
                            + "an existing copy");
                }
                Files.copy(in, partial);
            }
            String actual = HexFormat.of().formatHex(md5.digest());
            if (!actual.equals(expectedMd5)) {
                throw new CifarFormatException("downloaded " + from + " has MD5 " + actual + ", expected "
                        + expectedMd5 + "; it was damaged on the way (or the server sent another file) and was not "
                        + "kept: try again, or place the official " + target.getFileName() + " at " + target);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            System.err.println("augsweep: downloaded " + target + " (" + Files.size(target) / 1_000_000 + " MB)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CifarFormatException("download of " + from + " interrupted", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** Partial files of downloads that died; only the lock's holder writes one, so none is in use now. */
    private static void removeLeftovers(Path target) throws IOException {
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(target.getParent(),
                glob(target.getFileName() + ".part") + "*")) {
            for (Path p : parts) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String glob(String literal) {
        return literal.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
    }

    /** An exception and its causes in a line: HttpClient's ConnectException alone often says nothing. */
    private static String reason(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String part = t.getClass().getSimpleName()
                    + (t.getMessage() == null || t.getMessage().isBlank() ? "" : " " + t.getMessage());
            if (parts.isEmpty() || !parts.get(parts.size() - 1).equals(part)) {
                parts.add(part); // HttpClient wraps a ConnectException in another just like it
            }
        }
        return String.join(": ", parts);
    }
}
