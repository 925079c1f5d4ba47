package dev.augsweep.method;

import ai.djl.ndarray.NDArray;
import java.util.function.Supplier;

/**
 * The mixed precision a thread's forward passes run in: a training step enters one for its duration (the device
 * numerics' autocast), and every network a method runs goes through {@link #forward}, so the method needs to know
 * nothing of how a device computes. Outside a scope a forward pass is just the pass.
 */
public final class PrecisionScope {
    private static final ThreadLocal<Region> ACTIVE = new ThreadLocal<>();

    private PrecisionScope() {
    }

    /** A precision forward passes can run in. */
    public interface Region {
        /** Runs one network's forward pass in this precision and returns its output in fp32. */
        NDArray forward(Supplier<NDArray> pass);
    }

    /** Forward passes on this thread run in {@code region} until {@link #exit()}. */
    public static void enter(Region region) {
        ACTIVE.set(region);
    }

    public static void exit() {
        ACTIVE.remove();
    }

    /** One network's forward pass, in this thread's region if it is in one. */
    static NDArray forward(Supplier<NDArray> pass) {
        Region region = ACTIVE.get();
        return region == null ? pass.get() : region.forward(pass);
    }
}
