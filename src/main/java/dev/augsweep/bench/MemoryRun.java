package dev.augsweep.bench;

import dev.augsweep.config.TrialConfig;
import dev.augsweep.config.TrialConfigs;
import dev.augsweep.data.CifarSource;
import dev.augsweep.train.ProgressListener;
import dev.augsweep.train.TrialTrainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The memory benchmark's own JVM: one 10-epoch CPU-scale trial, resident memory printed after every epoch. */
final class MemoryRun {
    static final String PREFIX = "memory:";

    private MemoryRun() {
    }

    public static void main(String[] args) {
        TrialConfig t = TrialConfigs.load(null, List.of("width=0.25", "batch-size=128", "train-limit=1280",
                "test-limit=500", "epochs=10", "eval-every=1", "threads=" + args[0], "device=cpu"));
        ProgressListener recorder = (m, epochs, best, eta) -> System.out.printf(Locale.ROOT,
                "%s epoch %d %.1f MB resident (Java heap %.0f MB used of %.0f MB committed)%n", PREFIX, m.epoch(),
                residentMegabytes(), (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1048576.0,
                Runtime.getRuntime().totalMemory() / 1048576.0);
        new TrialTrainer(recorder).train(t, CifarSource.load(t.runtime().data(), t.dataset(), t.runtime().download()), null);
    }

    static double residentMegabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Double.parseDouble(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Double.NaN;
    }
}
