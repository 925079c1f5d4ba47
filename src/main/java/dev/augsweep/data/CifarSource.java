package dev.augsweep.data;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves the configured data path (see {@link DataLocation}: downloading where the policy allows) and caches what
 * it read, so one JVM (a Spark executor running many trials) decodes CIFAR-10 once.
 */
public final class CifarSource {
    private static final ConcurrentHashMap<String, CifarData> CACHE = new ConcurrentHashMap<>();

    private CifarSource() {
    }

    public static CifarData load(String configured, Dataset dataset, DownloadPolicy download) {
        Path path = DataLocation.official(dataset).resolve(configured, download);
        return CACHE.computeIfAbsent(dataset + "|" + path, k -> CifarReader.read(path, dataset));
    }
}
