package dev.augsweep.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** What this CPU can do natively, from /proc/cpuinfo's flags (empty elsewhere). */
public final class CpuFeatures {
    private static final Set<String> BF16 = Set.of("avx512_bf16", "amx_bf16");

    private CpuFeatures() {
    }

    /** Whether the CPU has native bf16 arithmetic (AVX512_BF16 or AMX), which oneDNN's bf16 kernels need. */
    public static boolean hasBf16() {
        return flags().stream().anyMatch(BF16::contains);
    }

    private static Set<String> flags() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.toLowerCase(Locale.ROOT).startsWith("flags"))
                    .findFirst().map(l -> Set.of(l.substring(l.indexOf(':') + 1).trim().split("\\s+")))
                    .orElse(Set.of());
        } catch (IOException e) {
            return Set.of();
        }
    }
}
