package dev.augsweep.numerics;

import ai.djl.Device;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.device.GpuFacts;
import dev.augsweep.model.MemoryLayout;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The memory layout a GPU trial computes in. On a GPU the two layouts run different cuDNN algorithms, and with TF32
 * (libtorch's default for convolutions from Ampere on) both round their inputs to 10 mantissa bits, each
 * differently: an H200 showed channels-last 0.108 from NCHW in one weight's gradient, over the CPU's tolerance, so
 * the check sent it to NCHW, 1.4 times slower. Here the layouts are compared with TF32 off (what differs is then
 * the algorithms' fp32 order of summation), and against the noise of NCHW itself (the same step twice, as cuDNN's
 * nondeterministic algorithms give): channels-last is kept where its difference is within the tolerance or within a
 * few times that noise. A kernel that miscomputes is off by order 1 either way.
 */
public final class GpuLayout {
    /** How many times NCHW's own run-to-run difference a layout may differ by. */
    static final double NOISE_FACTOR = 3;
    private static final Map<String, Decision> DECIDED = new ConcurrentHashMap<>();

    private GpuLayout() {
    }

    /** The layout chosen and what it was chosen by, recorded with the trial. */
    public record Decision(MemoryLayout layout, String why) {
    }

    /**
     * @param requested     the faster layout asked for (channels-last)
     * @param withoutTf32   {@code requested} against NCHW, TF32 off
     * @param nchwRepeated  NCHW against NCHW, the same step twice
     */
    static Decision decide(MemoryLayout requested, LayoutCheck.Agreement withoutTf32,
                           LayoutCheck.Agreement nchwRepeated) {
        double noise = nchwRepeated.worstError();
        double bound = Math.max(LayoutCheck.TOLERANCE, NOISE_FACTOR * (Double.isFinite(noise) ? noise : 0));
        String measured = String.format(Locale.ROOT, "%s against NCHW with TF32 off: %.3g in %s; NCHW against "
                        + "itself: %.3g; bound %.3g (the larger of %.3g and %.0f x that noise)", requested.key(),
                withoutTf32.worstError(), withoutTf32.worstParameter(), noise, bound, LayoutCheck.TOLERANCE,
                NOISE_FACTOR);
        return withoutTf32.worstError() <= bound ? new Decision(requested, requested.key() + ": " + measured)
                : new Decision(MemoryLayout.NCHW, "nchw, as " + requested.key() + " disagrees: " + measured);
    }

    /** {@link #measure}, once per JVM for each network shape. */
    static Decision cached(TrialConfig trial, MemoryLayout requested, Device device) {
        return DECIDED.computeIfAbsent(LayoutCheck.key(trial, requested, device), k -> measure(trial, requested,
                device));
    }

    /** Measures both comparisons on {@code device} for the trial's network and decides. */
    static Decision measure(TrialConfig trial, MemoryLayout requested, Device device) {
        Boolean tf32 = GpuFacts.tf32ConvAllowed();
        LayoutCheck.Agreement withoutTf32;
        try {
            if (tf32 != null) {
                GpuFacts.allowTf32Conv(false);
            }
            withoutTf32 = LayoutCheck.compare(trial, requested, device);
        } finally {
            if (tf32 != null) {
                GpuFacts.allowTf32Conv(tf32);
            }
        }
        return decide(requested, withoutTf32, LayoutCheck.repeat(trial, device));
    }
}
