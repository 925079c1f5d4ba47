package dev.augsweep.numerics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.jvm.ChildJvm;
import dev.augsweep.jvm.WatchedProcess;
import dev.augsweep.testing.NumericsSuite;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The precision and layout tests (tagged {@value NumericsSuite#TAG}) at every instruction set the kernel guard may
 * pick, so that a tolerance fitted to one set fails on the developer's machine before it fails on another. The
 * suite runs once in this JVM under the guard's own choice; here it runs again in a child JVM per cap (oneDNN reads
 * ONEDNN_MAX_CPU_ISA once per process, as the guard's probe does), each under the guard as a user's process would
 * be: a cap whose kernels miscompute on this CPU is switched off by the guard, and a child whose kernels have been
 * covered already (every cap ending on libtorch's own kernels, say) says so and stops.
 */
class NumericsAtEachIsaTest {
    /** oneDNN's caps from AVX2 up to its bf16 kernels; a cap above the CPU's best means that best. */
    private static final List<String> CAPS = List.of("AVX2", "AVX512_CORE", "AVX512_CORE_BF16");
    /** The child prints as each test ends; a test takes under a minute, so this long a silence is a hang. */
    private static final long MAX_SILENCE_MS = 600_000;

    @Test
    void thePrecisionAndLayoutTestsPassAtEveryInstructionSetTheGuardMayPick(@TempDir Path crashes)
            throws Exception {
        List<String> covered = new ArrayList<>(List.of(OneDnnGuard.apply(System.out).kernels()));
        StringBuilder report = new StringBuilder();
        for (String cap : CAPS) {
            StringBuilder out = new StringBuilder();
            WatchedProcess.Exit exit;
            try (WatchedProcess child = new WatchedProcess(ChildJvm.start(ChildJvm.command(NumericsSuite.class,
                    ChildJvm.sameFlags(), crashes, covered), Map.of(OneDnnGuard.ISA_ENV, cap)), crashes)) {
                String line;
                while ((line = child.readLine(MAX_SILENCE_MS)) != null) {
                    out.append(line).append('\n');
                }
                exit = child.awaitExit();
            }
            List<String> said = out.toString().lines().filter(l -> l.startsWith(NumericsSuite.PREFIX))
                    .map(l -> l.substring(NumericsSuite.PREFIX.length())).toList();
            report.append(OneDnnGuard.ISA_ENV).append('=').append(cap).append(": ").append(String.join("; ", said))
                    .append('\n');
            assertThat(exit.crashed()).as("%s: %s%n%s", cap, exit.describe(), out).isFalse();
            assertThat(exit.code()).as("%s failed:%n%s", cap, out).isZero();
            String kernels = said.stream().filter(s -> s.startsWith("kernels ")).findFirst().orElseThrow()
                    .substring("kernels ".length());
            if (!covered.contains(kernels)) {
                assertThat(said).as("%s ran tests", cap).anyMatch(s -> s.matches("ran [1-9]\\d* passed 0 failed.*"));
                covered.add(kernels);
            }
        }
        System.out.print(report);
    }
}
