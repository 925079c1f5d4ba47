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
    /** The configured path that means the user cache: the default, where AUGSWEEP_DATA is not set. */
    public static final String CACHE = "cache";

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
        if (configured.equals(CACHE)) {
            return fromCache(policy);
        }
        StorePath location = StorePath.of(configured);
        if (!location.isLocal()) {
            return RemoteArchive.localCopy(location, dataset, cache);
        }
        Path path = Path.of(configured).toAbsolutePath().normalize();
        if (Files.exists(path)) {
            return path;
        }
        String missing = dataset.key() + " not found at " + path + " (data = " + configured + ")";
        String setData = "set " + dataset.environment() + " or data= to the path of " + dataset.archiveName()
                + " or " + dataset.folder();
        return switch (policy) {
            case NEVER -> throw new CifarFormatException(missing + "; " + setData + ", or download=auto to fetch "
                    + "the official archive into " + cache);
            case TO_DATA_PATH -> {
                CifarDownloader.download(url, md5, path);
                yield path;
            }
            case AUTO -> fetched(missing + " nor in the cache (" + cached() + "), and ", setData);
        };
    }

    /** The archive in the user cache, fetched there first unless download=false. */
    private Path fromCache(DownloadPolicy policy) {
        String setData = "set " + dataset.environment() + " or data= to the path of a copy you have ("
                + dataset.archiveName() + " or " + dataset.folder() + ")";
        if (Files.exists(cached()) || policy != DownloadPolicy.NEVER) {
            return fetched(dataset.key() + " is not in the user cache (" + cached() + "), and ", setData);
        }
        throw new CifarFormatException(dataset.key() + " is not in the user cache (" + cached() + ") and download = "
                + "false; " + setData + ", or download=auto to fetch the official archive there");
    }

    /** The cached archive, fetched once where missing; an error names what was looked for and what to set. */
    private Path fetched(String where, String setData) {
        Path cached = cached();
        if (!Files.exists(cached)) {
            try {
                CifarDownloader.download(url, md5, cached);
            } catch (CifarFormatException e) {
                throw new CifarFormatException(where + "download=auto could not fetch it: " + e.getMessage()
                        + "; " + setData, e);
            }
        }
        return cached;
    }
}
