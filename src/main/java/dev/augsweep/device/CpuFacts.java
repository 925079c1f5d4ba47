package dev.augsweep.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The CPU a trial ran on, recorded with its results: CPU numbers depend on the model (libtorch and oneDNN pick
 * kernels by instruction set and cache sizes) and on the cores the process may use. Read from /proc/cpuinfo once per
 * process; null model elsewhere.
 *
 * @param model the kernel's "model name" (a VM may show a bare "AMD EPYC")
 * @param cores the processors this JVM may use (its cgroup or affinity share, not the machine's)
 */
public record CpuFacts(String model, int cores) {
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");
    private static final Set<String> BF16 = Set.of("avx512_bf16", "amx_bf16");
    /** The flags oneDNN's kernel choice depends on, in the order of its instruction sets. */
    private static final List<String> ISA_FLAGS = List.of("sse4_1", "avx", "avx2", "avx512f", "avx512bw",
            "avx512vl", "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile", "amx_bf16", "amx_int8");
    private static final List<String> LINES = read();

    /** This process's CPU. */
    public static CpuFacts here() {
        return new CpuFacts(field("model name").orElse(null), Runtime.getRuntime().availableProcessors());
    }

    /**
     * What tells CPUs of one name apart for libtorch: family, model and stepping, and the instruction-set flags
     * oneDNN picks kernels by (a VM reports every EPYC as "AMD EPYC"), e.g. "family 25 model 17 stepping 1; avx2
     * avx512f avx512_bf16"; "unknown" where /proc/cpuinfo is not readable.
     */
    public static String signature() {
        if (LINES.isEmpty()) {
            return "unknown";
        }
        Set<String> flags = Set.of(field("flags").orElse("").split("\\s+"));
        return "family " + field("cpu family").orElse("?") + " model " + field("model").orElse("?") + " stepping "
                + field("stepping").orElse("?") + "; "
                + String.join(" ", ISA_FLAGS.stream().filter(flags::contains).toList());
    }

    /**
     * The CPU as results record it (cpu_model): its name and its {@link #signature()}, e.g. "AMD EPYC (family 25
     * model 17 stepping 1; sse4_1 avx avx2 avx512f ...)", so that trials on two EPYCs of one name but different
     * instruction sets (which libtorch computes on with different kernels) are told apart.
     */
    public static String identity() {
        String model = here().model();
        return (model == null ? "unknown CPU" : model) + " (" + signature() + ")";
    }

    /** Whether the CPU has native bf16 arithmetic (AVX512_BF16 or AMX), which oneDNN's bf16 kernels need. */
    public static boolean hasBf16() {
        return field("flags").map(f -> Set.of(f.split("\\s+")).stream().anyMatch(BF16::contains)).orElse(false);
    }

    private static Optional<String> field(String name) {
        return LINES.stream().filter(l -> l.indexOf(':') > 0
                        && l.substring(0, l.indexOf(':')).trim().toLowerCase(Locale.ROOT).equals(name))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
    }

    private static List<String> read() {
        try {
            return Files.readAllLines(CPUINFO);
        } catch (IOException e) {
            return List.of();
        }
    }
}
