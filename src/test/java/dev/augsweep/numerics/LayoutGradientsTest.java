package dev.augsweep.numerics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.cli.Main;
import dev.augsweep.jvm.ChildJvm;
import dev.augsweep.jvm.WatchedProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Under the CPU kernel guard, libtorch's gradients in the layout training picks agree with plain NCHW, for every
 * method and a spread of widths, with oneDNN's instruction set left to the guard and forced to AVX2 (oneDNN reads
 * ONEDNN_MAX_CPU_ISA once per process, so each runs `augsweep check` in a JVM of its own; a native crash there fails
 * the test with its frame, not Surefire).
 */
class LayoutGradientsTest {
    /**
     * `augsweep check`'s widths but 1, about two thirds of the check's arithmetic (CI's time); a trial at width 1 has
     * its own shape checked by the guard before it trains, and `augsweep check` still includes it.
     */
    private static final String WIDTHS = "0.0625,0.125,0.1875,0.25,0.375,0.5";
    /** The child prints a line before each comparison, which takes seconds; silence this long is a hang. */
    private static final long MAX_SILENCE_MS = 180_000;

    /** The child's exit code and output. */
    private record Run(WatchedProcess.Exit exit, String output) {
    }

    private static Run check(Map<String, String> env, Path crashes, String... args) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("check"));
        arguments.addAll(List.of(args));
        StringBuilder out = new StringBuilder();
        try (WatchedProcess child = new WatchedProcess(ChildJvm.start(ChildJvm.command(Main.class,
                ChildJvm.sameFlags(), crashes, arguments), env), crashes)) {
            String line;
            while ((line = child.readLine(MAX_SILENCE_MS)) != null) {
                out.append(line).append('\n');
            }
            return new Run(child.awaitExit(), out.toString());
        }
    }

    @ParameterizedTest(name = "ONEDNN_MAX_CPU_ISA={0}")
    @ValueSource(strings = {"", "AVX2"})
    void theLayoutTrainingPicksComputesTheSameGradientsAsNchw(String isa, @TempDir Path crashes) throws Exception {
        Run run = check(isa.isEmpty() ? Map.of() : Map.of("ONEDNN_MAX_CPU_ISA", isa), crashes, "--widths", WIDTHS,
                "--batch", "32");
        assertThat(run.exit().crashed()).as("libtorch crashed: %s%n%s", run.exit().describe(), run.output()).isFalse();
        assertThat(run.exit().code()).as(run.output()).isZero();
        long agreeing = run.output().lines().filter(l -> l.matches("^(simclr|moco|simsiam|barlowtwins)\\s.*agrees\\s*$"))
                .count();
        assertThat(agreeing).as(run.output()).isEqualTo(6 * 4);
        assertThat(run.output()).contains("channels-last").contains("nchw");
    }

    /**
     * The check catches the defect the layout rule avoids, on any x86-64 CPU: at width 3/32 the first stride-2
     * shortcut has 6 input channels, under AVX2's block of 8, and channels-last there gives weight gradients that
     * are wrong by orders of magnitude without crashing (seen on a Xeon: relative difference 876), or, in other runs,
     * spins for ever inside oneDNN's jit_avx2_1x1_convolution_bwd_weights_t, or crashes. All three are caught. On a
     * CPU whose AVX2 kernels miscompute everywhere (an EPYC, see OneDnnGuard) the check disagrees elsewhere too.
     */
    @Test
    void forcingChannelsLastBelowOneChannelBlockIsCaught(@TempDir Path crashes) throws Exception {
        Run run = check(Map.of("ONEDNN_MAX_CPU_ISA", "AVX2"), crashes, "--widths", "0.09375", "--methods",
                "simclr", "--layout", "channels-last", "--unguarded");
        if (!run.exit().crashed()) {
            assertThat(run.exit().code()).as(run.output()).isEqualTo(4);
            assertThat(run.output()).contains("DISAGREES");
        }
    }
}
