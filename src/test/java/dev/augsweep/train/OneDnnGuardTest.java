package dev.augsweep.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.config.TrialConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OneDnnGuardTest {
    private static final PrintStream OUT = System.out;

    /** What the guard promises on any CPU: after it, oneDNN's step equals libtorch's own kernels' at every probe shape. */
    @Test
    void underTheGuardOneDnnComputesWhatLibtorchsOwnKernelsCompute() {
        OneDnnGuard.Verdict v = OneDnnGuard.apply(OUT);
        assertThat(v.isa()).isIn("DEFAULT", "AVX512_CORE", "AVX2", "SSE41", "NATIVE", System.getenv(OneDnnGuard.ISA_ENV));
        for (TrialConfig shape : OneDnnGuard.probeShapes()) {
            LayoutCheck.Agreement a = OneDnnGuard.compareWithNative(shape);
            assertThat(a.worstError()).as("%s at width %s under %s", a.worstParameter(), shape.width(), v.describe())
                    .isLessThanOrEqualTo(LayoutCheck.TOLERANCE);
        }
    }

    /** The same machine gets the same key (so the probe runs once), and the verdict survives its file. */
    @Test
    void theVerdictIsKeptPerMachineAndATornFileIsProbedAgain(@TempDir Path dir) throws Exception {
        assertThat(OneDnnGuard.machineKey()).isEqualTo(OneDnnGuard.machineKey()).hasSize(24);
        Path file = dir.resolve("v.properties");
        OneDnnGuard.Verdict v = new OneDnnGuard.Verdict("SSE41", "AVX2: 1.6e+00 at backbone/x; SSE41: 3.8e-03");
        OneDnnGuard.write(file, v);
        assertThat(OneDnnGuard.read(file)).isEqualTo(v);
        Files.writeString(file, "isa=SSE41\n");
        assertThat(OneDnnGuard.read(file)).isNull();
        assertThat(OneDnnGuard.read(dir.resolve("absent.properties"))).isNull();
    }
}
