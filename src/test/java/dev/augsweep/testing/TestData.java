package dev.augsweep.testing;

import dev.augsweep.data.CifarData;
import dev.augsweep.data.CifarSource;
import dev.augsweep.data.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared CIFAR-10 archive beside the checkout (never copied into the repo). */
public final class TestData {
    private TestData() {
    }

    public static Path archive() {
        String env = System.getenv("AUGSWEEP_DATA");
        Path p = env != null ? Path.of(env) : Path.of("../shared/data/cifar-10-binary.tar.gz");
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("tests need CIFAR-10 at " + p.toAbsolutePath()
                    + " (set AUGSWEEP_DATA to its path)");
        }
        return p;
    }

    /** Decoded once per test JVM (CifarSource caches it). */
    public static CifarData cifar() {
        return CifarSource.load(archive().toString(), Dataset.CIFAR10, false);
    }
}
