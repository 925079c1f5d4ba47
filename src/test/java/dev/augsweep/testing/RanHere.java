package dev.augsweep.testing;

import dev.augsweep.device.CpuFacts;
import dev.augsweep.numerics.OneDnnGuard;

/** Where a numerical test ran, for its output and its failure messages: the CPU, told apart, and its kernels. */
public final class RanHere {
    private RanHere() {
    }

    /** E.g. "AMD EPYC (family 25 model 17 stepping 1; avx2 avx512f ...), kernels: oneDNN AVX2". */
    public static String describe() {
        return cpu() + ", kernels: " + OneDnnGuard.apply(System.out).kernels();
    }

    /** E.g. "AMD EPYC (family 25 model 17 stepping 1; avx2 avx512f ...)". */
    public static String cpu() {
        return CpuFacts.identity();
    }
}
