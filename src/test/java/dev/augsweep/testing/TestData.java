package dev.augsweep.testing;

import dev.augsweep.data.CifarData;
import dev.augsweep.data.CifarSource;
import dev.augsweep.data.DataLocation;
import dev.augsweep.data.Dataset;
import dev.augsweep.data.DownloadPolicy;
import java.nio.file.Path;

/**
 * CIFAR-10 as the main command finds it (never copied into the repo): {@code $AUGSWEEP_DATA} (which Maven sets to the
 * shared copy beside the checkout where it is not set), else the user cache, where an online machine fetches the
 * official archive once.
 */
public final class TestData {
    private TestData() {
    }

    public static Path archive() {
        String env = System.getenv("AUGSWEEP_DATA");
        String configured = env != null ? env : DataLocation.CACHE; // Maven's tests always have it (pom.xml)
        return DataLocation.official(Dataset.CIFAR10).resolve(configured, DownloadPolicy.AUTO);
    }

    /** Decoded once per test JVM (CifarSource caches it). */
    public static CifarData cifar() {
        return CifarSource.load(archive().toString(), Dataset.CIFAR10, DownloadPolicy.NEVER);
    }
}
