package dev.augsweep.augment;

/** Derives independent, reproducible random streams from (seed, epoch, image, view), whatever thread runs them. */
public final class Seeds {
    private Seeds() {
    }

    public static long mix(long... parts) {
        long h = 0x9E3779B97F4A7C15L;
        for (long p : parts) {
            h = murmur(h ^ murmur(p + 0x632BE59BD9B4E019L));
        }
        return h;
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates) from {@code rng}. */
    public static int[] permutation(int n, java.util.SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static long murmur(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
