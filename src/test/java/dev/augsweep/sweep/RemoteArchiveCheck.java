package dev.augsweep.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augsweep.data.CifarFormatException;
import dev.augsweep.data.CifarReader;
import dev.augsweep.data.DataLocation;
import dev.augsweep.data.Dataset;
import dev.augsweep.data.DownloadPolicy;
import dev.augsweep.storage.Storage;
import dev.augsweep.storage.StorePath;
import dev.augsweep.testing.CifarArchives;
import java.nio.file.Files;
import java.nio.file.Path;

/** A CIFAR archive on a remote store (HDFS, S3) is copied to the cache once, read there, and a missing one named. */
final class RemoteArchiveCheck {
    private RemoteArchiveCheck() {
    }

    /** @param remoteDir a directory URI on the store, without a trailing slash ("hdfs://.../data", "s3a://b/data") */
    static void copiedToTheCacheOnceAndRead(Path dir, String remoteDir) throws Exception {
        Path archive = CifarArchives.write(dir.resolve("made.tar.gz"), Dataset.CIFAR10, 2, 1, 7);
        StorePath remote = StorePath.of(remoteDir + "/cifar-10-binary.tar.gz");
        Storage.write(remote, out -> Files.copy(archive, out));
        DataLocation location = new DataLocation(Dataset.CIFAR10, Dataset.CIFAR10.official(), "unused",
                dir.resolve("cache"));
        Path copy = location.resolve(remote.toString(), DownloadPolicy.NEVER);
        assertThat(copy).startsWith(dir.resolve("cache")).hasSameBinaryContentAs(archive);
        assertThat(location.resolve(remote.toString(), DownloadPolicy.NEVER)).isEqualTo(copy);
        assertThat(CifarReader.read(copy, Dataset.CIFAR10).train().size()).isEqualTo(20);
        assertThatThrownBy(() -> location.resolve(remoteDir + "/missing.tar.gz", DownloadPolicy.NEVER))
                .isInstanceOf(CifarFormatException.class)
                .hasMessageContaining("not found at " + remoteDir + "/missing");
    }
}
