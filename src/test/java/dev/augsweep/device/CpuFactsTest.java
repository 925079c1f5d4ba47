package dev.augsweep.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CpuFactsTest {
    @Test
    void theSignatureTellsCpusOfOneNameApart() throws Exception {
        String cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
        String signature = CpuFacts.signature();
        // "model name" must not be read as "model", nor "cpu family" go missing
        assertThat(signature).matches("family \\d+ model \\d+ stepping \\d+; .*");
        String flags = cpuinfo.lines().filter(l -> l.startsWith("flags")).findFirst().orElseThrow();
        assertThat(signature.contains("avx2")).isEqualTo(flags.matches(".*\\bavx2\\b.*"));
        assertThat(signature.contains("avx512_bf16")).isEqualTo(CpuFacts.hasBf16() && flags.contains("avx512_bf16"));
        assertThat(signature).doesNotContain("fpu").doesNotContain("sse2 "); // only what oneDNN picks kernels by
    }

    /** What a trial records as its cpu_model: the name, then the signature that tells machines of that name apart. */
    @Test
    void theRecordedIdentityIsTheNameAndTheSignature() {
        String model = CpuFacts.here().model();
        assertThat(CpuFacts.identity()).isEqualTo((model == null ? "unknown CPU" : model) + " ("
                + CpuFacts.signature() + ")").contains("family ");
    }
}
