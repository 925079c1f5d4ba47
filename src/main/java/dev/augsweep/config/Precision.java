package dev.augsweep.config;

import java.util.Locale;

/**
 * The arithmetic a trial trains in. fp32 is the paper's. bf16 and fp16 are mixed precision as PyTorch's autocast
 * does it: convolutions and linear layers in 16 bits, master weights, batch-norm statistics, losses, kNN features
 * and the optimiser in fp32.
 */
public enum Precision {
    FP32, BF16, FP16;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Null for an unknown name. */
    public static Precision of(String key) {
        for (Precision p : values()) {
            if (p.key().equals(key.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        return null;
    }
}
