package dev.augsweep.data;

import dev.augsweep.storage.Storage;
import dev.augsweep.storage.StorePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A dataset archive on HDFS or an object store ({@code data=hdfs://...}), copied once per machine into the cache:
 * the readers and the trainers read local files. The copy is keyed by the archive's URI, size and modification time,
 * so a replaced archive is copied again; it is written under a unique partial name and moved into place once its
 * size matches, so workers that copy at once never read a partial file.
 */
final class RemoteArchive {
    private RemoteArchive() {
    }

    static Path localCopy(StorePath remote, Dataset dataset, Path cache) {
        Storage.Stat stat = Storage.stat(remote);
        if (stat == null) {
            throw new CifarFormatException(dataset.key() + " not found at " + remote + " (data = " + remote + "); "
                    + "set data=<the URI or path of " + dataset.archiveName() + "> (on HDFS or an object store: an "
                    + "archive file, not a folder)");
        }
        Path dir = cache.resolve("remote").resolve(key(remote, stat));
        Path target = dir.resolve(remote.name());
        try {
            if (Files.isRegularFile(target) && Files.size(target) == stat.length()) {
                return target;
            }
            Files.createDirectories(dir);
            Path part = Files.createTempFile(dir, remote.name(), ".part");
            try (InputStream in = Storage.open(remote)) {
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            }
            long copied = Files.size(part);
            if (copied != stat.length()) {
                Files.delete(part);
                throw new CifarFormatException("copying " + remote + " gave " + copied + " bytes, not its "
                        + stat.length() + "; was it replaced meanwhile? run again");
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + remote + " to " + target, e);
        }
    }

    private static String key(StorePath remote, Storage.Stat stat) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((remote.uri() + "|" + stat.length() + "|"
                    + stat.modifiedMillis()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
