package dev.augsweep;

import dev.augsweep.numerics.OneDnnGuard;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Tests compute under the CPU kernel guard, as augsweep's own processes do: applied when the test JVM starts, before
 * any test's first convolution fixes oneDNN's instruction set (docs/performance.md: CPU kernels).
 */
public final class GuardedKernels implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        OneDnnGuard.apply(System.out);
    }
}
