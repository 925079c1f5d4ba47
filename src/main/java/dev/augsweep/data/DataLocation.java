package dev.augsweep.data;

import dev.augsweep.storage.StorePath;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a dataset is read from: the configured path where it exists (the shipped copy, {@code data=...}); else, as
 * {@code download} says, the copy in the user cache, fetched there once per machine (auto), a copy fetched to the
 * configured path (true), or an error saying what to set (false, or auto on a machine that is offline).
 *
 * @param url   the archive to fetch (the dataset's official one; a local server's in tests)
 * @param md5   what the fetched archive must hash to
 * @param cache the directory that download=auto fetches into
 */
public record DataLocation(Dataset dataset, URI url, String md5, Path cache) {

    /** The dataset's official archive, cached in {@link UserCache#dir()}. */
    public static DataLocation official(Dataset dataset) {
        return new DataLocation(dataset, dataset.official(), dataset.officialMd5(), UserCache.dir());
    }

    /** Where download=auto keeps the archive. */
    public Path cached() {
        return cache.resolve(dataset.archiveName());
    }

    /**
     * An existing file or folder to read, downloading it first where the policy allows; an archive on HDFS or an
     * object store (a URI) is copied into the cache once.
     */
    public Path resolve(String configured, DownloadPolicy policy) {
        StorePath location = StorePath.of(configured);
        if (!location.isLocal()) {
            return RemoteArchive.localCopy(location, dataset, cache);
        }
        Path path = Path.of(configured).toAbsolutePath().normalize();
        if (Files.exists(path)) {
            return path;
        }
        String missing = dataset.key() + " not found at " + path + " (data = " + configured + ")";
        String setData = "set data=<path to " + dataset.archiveName() + " or " + dataset.folder() + ">";
        return switch (policy) {
            case NEVER -> throw new CifarFormatException(missing + "; " + setData + ", or download=auto to fetch "
                    + "the official archive into " + cache);
            case TO_DATA_PATH -> {
                CifarDownloader.download(url, md5, path);
                yield path;
            }
            case AUTO -> {
                Path cached = cached();
                if (!Files.exists(cached)) {
                    try {
                        CifarDownloader.download(url, md5, cached);
                    } catch (CifarFormatException e) {
                        throw new CifarFormatException(missing + " nor in the cache (" + cached + "), and "
                                + "download=auto could not fetch it: " + e.getMessage(), e);
                    }
                }
                yield cached;
            }
        };
    }
}
