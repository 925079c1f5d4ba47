package dev.augsweep.train;

/** PyTorch's CosineAnnealingLR with T_max = epochs and eta_min = 0, stepped once per epoch (no warm-up). */
public final class CosineSchedule {
    private CosineSchedule() {
    }

    public static double lr(double base, int epoch, int epochs) {
        return base * 0.5 * (1 + Math.cos(Math.PI * epoch / epochs));
    }
}
