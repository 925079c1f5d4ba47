package dev.augsweep.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves the configured data path (downloading when allowed) and caches what it read, so one JVM (a Spark
 * executor running many trials) decodes CIFAR-10 once.
 */
public final class CifarSource {
    private static final ConcurrentHashMap<Path, CifarData> CACHE = new ConcurrentHashMap<>();

    private CifarSource() {
    }

    public static CifarData load(String configured, boolean download) {
        Path path = Path.of(configured).toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            if (!download) {
                throw new CifarFormatException("CIFAR-10 not found at " + path + " (data = " + configured
                        + "); set data=<path to cifar-10-binary.tar.gz or cifar-10-batches-bin>, or download=true");
            }
            CifarDownloader.download(CifarDownloader.OFFICIAL, CifarDownloader.OFFICIAL_MD5, path);
        }
        return CACHE.computeIfAbsent(path, CifarReader::read);
    }
}
