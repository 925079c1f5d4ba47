package dev.augsweep.device;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Local mode's GPUs, handed to the trials running in this JVM one per trial: Spark does not schedule GPU resources
 * in local mode, so the driver runs as many trials at once as there are GPUs and each task takes a free one here.
 */
final class LocalGpuPool {
    private static final Set<String> BUSY = new LinkedHashSet<>();

    private LocalGpuPool() {
    }

    /** A GPU of {@code addresses} no other trial of this JVM holds; waits for one (Spark may start a retry early). */
    static synchronized String acquire(List<String> addresses) throws InterruptedException {
        while (true) {
            for (String a : addresses) {
                if (BUSY.add(a)) {
                    return a;
                }
            }
            LocalGpuPool.class.wait();
        }
    }

    static synchronized void release(String address) {
        BUSY.remove(address);
        LocalGpuPool.class.notifyAll();
    }
}
