package dev.augsweep.numerics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.model.MemoryLayout;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OneDnnGuardTest {
    private static final PrintStream OUT = System.out;

    /** What the guard promises on any CPU: after it, oneDNN's step equals libtorch's own kernels' at every probe shape. */
    @Test
    void underTheGuardOneDnnComputesWhatLibtorchsOwnKernelsCompute() {
        OneDnnGuard.Verdict v = OneDnnGuard.apply(OUT);
        assertThat(v.isa()).isIn("DEFAULT", "AVX512_CORE", "AVX2", "SSE41", "NATIVE", System.getenv(OneDnnGuard.ISA_ENV));
        for (OneDnnGuard.Shape shape : OneDnnGuard.probeShapes()) {
            LayoutCheck.Agreement a = OneDnnGuard.compareWithNative(shape);
            assertThat(a.worstError()).as("%s at %s under %s", a.worstParameter(), shape, v.describe())
                    .isLessThanOrEqualTo(OneDnnGuard.TOLERANCE);
        }
    }

    /** A shape a process meets after its first is checked there, under the instruction set already chosen. */
    @Test
    void aLaterShapeIsCheckedInTheProcessAndComputesRight() {
        OneDnnGuard.Shape later = new OneDnnGuard.Shape(0.25, MemoryLayout.NCHW, 48);
        OneDnnGuard.Verdict v = OneDnnGuard.apply(OUT, later);
        assertThat(OneDnnGuard.apply(OUT)).isEqualTo(v);
        LayoutCheck.Agreement a = OneDnnGuard.compareWithNative(later);
        assertThat(a.worstError()).as("%s at %s under %s", a.worstParameter(), later, v.describe())
                .isLessThanOrEqualTo(OneDnnGuard.TOLERANCE);
    }

    /**
     * The same machine and shapes get the same key (so the probe runs once), other shapes another; the verdict
     * survives its file.
     */
    @Test
    void theVerdictIsKeptPerMachineAndATornFileIsProbedAgain(@TempDir Path dir) throws Exception {
        List<OneDnnGuard.Shape> shapes = OneDnnGuard.probeShapes();
        assertThat(OneDnnGuard.machineKey(shapes)).isEqualTo(OneDnnGuard.machineKey(shapes)).hasSize(24)
                .isNotEqualTo(OneDnnGuard.machineKey(shapes.subList(0, 1)));
        assertThat(OneDnnGuard.Shape.parse(shapes.get(2).arg())).isEqualTo(shapes.get(2));
        Path file = dir.resolve("v.properties");
        OneDnnGuard.Verdict v = new OneDnnGuard.Verdict("SSE41", "AVX2: 1.6e+00 at backbone/x; SSE41: 3.8e-03");
        OneDnnGuard.write(file, v);
        assertThat(OneDnnGuard.read(file)).isEqualTo(v);
        Files.writeString(file, "isa=SSE41\n");
        assertThat(OneDnnGuard.read(file)).isNull();
        assertThat(OneDnnGuard.read(dir.resolve("absent.properties"))).isNull();
    }

    /**
     * A cached set that disagreed in a process is not tried again: the cache stops returning it, the next probe
     * starts after it, and the mark outlives the new verdict.
     */
    @Test
    void aCachedSetThatDisagreedInAProcessIsProbedPast(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("v.properties");
        OneDnnGuard.write(file, new OneDnnGuard.Verdict("AVX512_CORE", "DEFAULT: 2.8e-01; AVX512_CORE: 6.4e-03"));
        assertThat(OneDnnGuard.candidatesAfter(OneDnnGuard.failedInProcess(file))).isEqualTo(OneDnnGuard.CANDIDATES);
        OneDnnGuard.markFailed(file, "AVX512_CORE");
        OneDnnGuard.markFailed(file, "AVX512_CORE"); // each worker of the machine reports it
        assertThat(OneDnnGuard.read(file)).isNull();
        assertThat(OneDnnGuard.failedInProcess(file)).containsExactly("AVX512_CORE");
        assertThat(OneDnnGuard.candidatesAfter(OneDnnGuard.failedInProcess(file))).containsExactly("AVX2", "SSE41");
        OneDnnGuard.Verdict next = new OneDnnGuard.Verdict("AVX2", "AVX2: 3.1e-03");
        OneDnnGuard.write(file, next);
        assertThat(OneDnnGuard.read(file)).isEqualTo(next);
        assertThat(OneDnnGuard.failedInProcess(file)).containsExactly("AVX512_CORE");
        OneDnnGuard.markFailed(file, "SSE41");
        assertThat(OneDnnGuard.read(file)).isEqualTo(next);
        assertThat(OneDnnGuard.candidatesAfter(OneDnnGuard.failedInProcess(file))).isEmpty();
    }
}
