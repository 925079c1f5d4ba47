package dev.augsweep.numerics;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import dev.augsweep.device.LoadedLibTorch;

/** The two switches libtorch's oneDNN has that DJL does not expose, called on the loaded libraries through JNA. */
final class OneDnn {
    private static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";
    private static final String SET_ENABLED = "_ZN2at7Context20setUserEnabledMkldnnEb";

    private OneDnn() {
    }

    /**
     * torch.backends.mkldnn.enabled: off, libtorch runs convolutions and batch norm on its own kernels (im2col and
     * MKL's GEMM), several times slower on a CPU but free of oneDNN's JIT code. Takes effect on the next operator.
     */
    static void enable(boolean on) {
        LoadedLibTorch.start();
        Function context = LoadedLibTorch.function(GLOBAL_CONTEXT);
        Function set = LoadedLibTorch.function(SET_ENABLED);
        if (context == null || set == null) {
            throw new IllegalStateException("the loaded libtorch lacks " + SET_ENABLED + ": cannot switch oneDNN "
                    + (on ? "on" : "off") + "; set " + OneDnnGuard.ISA_ENV + " yourself (docs/performance.md: CPU kernels)");
        }
        set.invokeVoid(new Object[] {context.invokePointer(new Object[0]), (byte) (on ? 1 : 0)});
    }

    /**
     * Sets ONEDNN_MAX_CPU_ISA in this process's C environment (Java's view of it is a copy taken at start). oneDNN
     * reads it once, when it first picks a kernel, so it binds only before the first convolution.
     */
    static void limitIsa(String isa) {
        NativeLibrary.getInstance("c").getFunction("setenv").invokeInt(new Object[] {OneDnnGuard.ISA_ENV, isa, 1});
    }
}
