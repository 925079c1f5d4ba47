package dev.augsweep.train;

import dev.augsweep.config.TrialConfig;
import java.util.Locale;

/**
 * The child JVM {@link OneDnnGuard} starts per candidate instruction set: each probe shape's step twice (a kernel
 * that misbehaves only on its first call shows too), one line per comparison with libtorch's own kernels.
 */
public final class OneDnnProbe {
    static final String PREFIX = "@@onednn ";

    private OneDnnProbe() {
    }

    public static void main(String[] args) {
        for (TrialConfig shape : OneDnnGuard.probeShapes()) {
            for (int call = 0; call < 2; call++) {
                LayoutCheck.Agreement a = OneDnnGuard.compareWithNative(shape);
                System.out.printf(Locale.ROOT, "%s%s %s width %s %s%n", PREFIX, a.worstError(), a.worstParameter(),
                        shape.width(), a.layout().key());
            }
        }
        System.exit(0);
    }
}
