package dev.augsweep.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves the configured data path (downloading when allowed) and caches what it read, so one JVM (a Spark
 * executor running many trials) decodes CIFAR-10 once.
 */
public final class CifarSource {
    private static final ConcurrentHashMap<String, CifarData> CACHE = new ConcurrentHashMap<>();

    private CifarSource() {
    }

    public static CifarData load(String configured, Dataset dataset, boolean download) {
        Path path = Path.of(configured).toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            if (!download) {
                throw new CifarFormatException(dataset.key() + " not found at " + path + " (data = " + configured
                        + "); set data=<path to " + dataset.archiveName() + " or " + dataset.folder()
                        + ">, or download=true to fetch the official archive");
            }
            CifarDownloader.download(dataset.official(), dataset.officialMd5(), path);
        }
        return CACHE.computeIfAbsent(dataset + "|" + path, k -> CifarReader.read(path, dataset));
    }
}
