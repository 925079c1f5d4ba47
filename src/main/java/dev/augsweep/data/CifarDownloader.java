package dev.augsweep.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/** Fetches an official CIFAR binary archive when a configured path is missing, checking its MD5. */
public final class CifarDownloader {
    private CifarDownloader() {
    }

    public static void download(URI from, String expectedMd5, Path to) {
        Path partial = to.resolveSibling(to.getFileName() + ".part");
        try {
            Files.createDirectories(to.toAbsolutePath().getParent());
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(from).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                throw new CifarFormatException("downloading " + from + " answered HTTP " + response.statusCode()
                        + "; place the archive at " + to + " by hand");
            }
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            try (InputStream in = new DigestInputStream(response.body(), md5)) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            String actual = HexFormat.of().formatHex(md5.digest());
            if (!actual.equals(expectedMd5)) {
                Files.deleteIfExists(partial);
                throw new CifarFormatException("downloaded " + from + " has MD5 " + actual + ", expected "
                        + expectedMd5 + "; the download was damaged, try again");
            }
            Files.move(partial, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CifarFormatException("cannot download " + from + " (" + e
                    + "); this machine may be offline: copy the archive to " + to
                    + " or set data=<path> to an existing copy", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CifarFormatException("download of " + from + " interrupted", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
