package dev.augsweep.search.tpe;

/**
 * MT19937 with the draws of numpy's legacy {@code np.random.RandomState(seed)}: the same seed gives the same doubles,
 * bit for bit, so a TPE run can be replayed against Optuna (which draws all its randomness from RandomState). Only the
 * primitives TPE and Optuna's RandomSampler use are here. Not thread-safe: one stream per sampler.
 */
public final class MersenneTwister {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER = 0x80000000;
    private static final int LOWER = 0x7fffffff;

    private final int[] mt = new int[N];
    private int index;

    /**
     * numpy's {@code RandomState(seed)} for {@code 0 <= seed < 2^32} ({@code init_genrand}); numpy refuses other seeds,
     * so callers reduce theirs first (see {@link #seedOf(long)}).
     */
    public MersenneTwister(long seed) {
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("seed " + seed + " is outside numpy's range 0 .. 2^32-1");
        }
        mt[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        index = N;
    }

    /** Any long seed mapped into numpy's seed range (identity on 0 .. 2^32-1), so a job's seed is always usable. */
    public static long seedOf(long seed) {
        return Math.floorMod(seed, 1L << 32);
    }

    /** The next 32 random bits ({@code genrand_int32}), as an unsigned value. */
    public long nextUint32() {
        if (index >= N) {
            twist();
        }
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    private void twist() {
        for (int i = 0; i < N; i++) {
            int y = (mt[i] & UPPER) | (mt[(i + 1) % N] & LOWER);
            mt[i] = mt[(i + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        index = 0;
    }

    /** {@code random_sample()}: a double in [0, 1) from 53 random bits (two 32-bit draws, as numpy takes them). */
    public double randomSample() {
        long a = nextUint32() >>> 5;
        long b = nextUint32() >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /** Draws and discards {@code n} doubles ({@link #randomSample()} takes two 32-bit words each). */
    public void skipDoubles(long n) {
        for (long i = 0; i < 2 * n; i++) {
            nextUint32();
        }
    }

    /** {@code uniform(low, high)}: numpy computes {@code low + (high - low) * random_sample()}. */
    public double uniform(double low, double high) {
        return low + (high - low) * randomSample();
    }

    /**
     * {@code choice(len(p), size, p=p)} with replacement: numpy normalises the running sum of {@code p} by its last
     * element and finds each {@code random_sample()} in it ({@code searchsorted(side='right')}).
     */
    public int[] choice(double[] p, int size) {
        double[] cdf = new double[p.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            sum += p[i];
            cdf[i] = sum;
        }
        double last = cdf[cdf.length - 1];
        for (int i = 0; i < cdf.length; i++) {
            cdf[i] /= last;
        }
        int[] out = new int[size];
        for (int s = 0; s < size; s++) {
            out[s] = searchRight(cdf, randomSample());
        }
        return out;
    }

    /** The number of entries of the sorted {@code cdf} that are at most {@code u}. */
    private static int searchRight(double[] cdf, double u) {
        int lo = 0;
        int hi = cdf.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] <= u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * {@code randint(low, high)} (high excluded) for ranges below 2^32, as legacy RandomState draws it: 32-bit draws
     * masked to the range's bit length, rejected until in range. Not used by TPE itself; here for seeding helpers.
     */
    public long randint(long low, long high) {
        long range = high - low - 1;
        if (range < 0 || range > 0xffffffffL) {
            throw new IllegalArgumentException("randint range [" + low + ", " + high + ") is empty or too wide");
        }
        if (range == 0) {
            return low;
        }
        if (range == 0xffffffffL) {
            return low + nextUint32();
        }
        long mask = range;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        long v;
        do {
            v = nextUint32() & mask;
        } while (v > range);
        return low + v;
    }
}
