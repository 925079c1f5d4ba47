package dev.augsweep.device;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Local mode's GPUs, handed to the trials running in this JVM, up to N trials per GPU: Spark does not schedule GPU
 * resources in local mode, so the driver runs as many trials at once as the GPUs hold and each task takes a place
 * here, on the GPU with the fewest trials.
 */
final class LocalGpuPool {
    private static final Map<String, Integer> HOLDERS = new HashMap<>();

    private LocalGpuPool() {
    }

    /**
     * A GPU of {@code addresses} with fewer than {@code perGpu} trials of this JVM on it, the least loaded first;
     * waits for one (Spark may start a retry early).
     */
    static synchronized String acquire(List<String> addresses, int perGpu) throws InterruptedException {
        while (true) {
            String best = null;
            for (String a : addresses) {
                int held = HOLDERS.getOrDefault(a, 0);
                if (held < perGpu && (best == null || held < HOLDERS.getOrDefault(best, 0))) {
                    best = a;
                }
            }
            if (best != null) {
                HOLDERS.merge(best, 1, Integer::sum);
                return best;
            }
            LocalGpuPool.class.wait();
        }
    }

    static synchronized void release(String address) {
        HOLDERS.computeIfPresent(address, (a, held) -> held > 1 ? held - 1 : null);
        LocalGpuPool.class.notifyAll();
    }
}
