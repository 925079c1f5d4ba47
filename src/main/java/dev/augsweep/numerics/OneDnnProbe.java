package dev.augsweep.numerics;

import dev.augsweep.device.LoadedLibTorch;
import java.util.Locale;

/**
 * The child JVM {@link OneDnnGuard} starts per candidate instruction set: each shape's step three times (a kernel
 * that misbehaves only on its first call shows too), one line per comparison with libtorch's own kernels.
 */
public final class OneDnnProbe {
    static final String PREFIX = "@@onednn ";

    private OneDnnProbe() {
    }

    /** @param args the shapes to probe, as {@link OneDnnGuard.Shape#arg()} writes them */
    public static void main(String[] args) {
        LoadedLibTorch.start();
        for (String arg : args) {
            OneDnnGuard.Shape shape = OneDnnGuard.Shape.parse(arg);
            for (int call = 0; call < 3; call++) {
                LayoutCheck.Agreement a = OneDnnGuard.compareWithNative(shape);
                System.out.printf(Locale.ROOT, "%s%s %s at %s%n", PREFIX, a.worstError(), a.worstParameter(), shape);
            }
        }
        System.exit(0);
    }
}
