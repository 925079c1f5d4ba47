package dev.augsweep.search.tpe;

/**
 * The few numpy 1.24 routines whose exact behaviour shows in TPE's numbers: {@code argsort}'s default introsort (its
 * order among equal values decides which tied kernel gets which bandwidth), {@code sum}'s pairwise summation, and
 * {@code linspace}. Written from numpy's C sources ({@code npysort/quicksort.cpp}, {@code heapsort.cpp},
 * {@code umath/loops_utils.h.src}, {@code function_base.py}).
 */
final class Numpy {
    private Numpy() {
    }

    private static final int SMALL_QUICKSORT = 15;
    private static final int PW_BLOCKSIZE = 128;

    /** numpy's float order: NaN sorts last. */
    private static boolean less(double a, double b) {
        return a < b || (b != b && a == a);
    }

    /**
     * {@code np.argsort(v)} (kind "quicksort"): median-of-three introsort with insertion sort below 16 elements and a
     * heapsort fallback; not stable for 17 or more elements, and reproduced with its exact tie order.
     */
    static int[] argsort(double[] values) {
        int n = values.length;
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = i;
        }
        if (n < 2) {
            return t;
        }
        // v[i] is always values[t[i]]: numpy compares through the index, this keeps the value beside it (same
        // comparisons, same swaps, so the same permutation) and saves the indirection.
        double[] v = values.clone();
        int[] stack = new int[2 * 128];
        int[] depthStack = new int[128];
        int sp = 0;
        int dp = 0;
        int pl = 0;
        int pr = n - 1;
        int cdepth = 2 * (31 - Integer.numberOfLeadingZeros(n));
        for (;;) {
            if (cdepth < 0) {
                heapsort(values, t, pl, pr - pl + 1);
                for (int i = pl; i <= pr; i++) {
                    v[i] = values[t[i]];
                }
            } else {
                while (pr - pl > SMALL_QUICKSORT) {
                    int pm = pl + ((pr - pl) >> 1);
                    if (less(v[pm], v[pl])) {
                        swap(v, t, pm, pl);
                    }
                    if (less(v[pr], v[pm])) {
                        swap(v, t, pr, pm);
                    }
                    if (less(v[pm], v[pl])) {
                        swap(v, t, pm, pl);
                    }
                    double vp = v[pm];
                    int pi = pl;
                    int pj = pr - 1;
                    swap(v, t, pm, pj);
                    for (;;) {
                        do {
                            ++pi;
                        } while (less(v[pi], vp));
                        do {
                            --pj;
                        } while (less(vp, v[pj]));
                        if (pi >= pj) {
                            break;
                        }
                        swap(v, t, pi, pj);
                    }
                    int pk = pr - 1;
                    swap(v, t, pi, pk);
                    // push the larger partition, keep sorting the smaller
                    if (pi - pl < pr - pi) {
                        stack[sp++] = pi + 1;
                        stack[sp++] = pr;
                        pr = pi - 1;
                    } else {
                        stack[sp++] = pl;
                        stack[sp++] = pi - 1;
                        pl = pi + 1;
                    }
                    depthStack[dp++] = --cdepth;
                }
                for (int i = pl + 1; i <= pr; i++) { // insertion sort
                    int ti = t[i];
                    double vv = v[i];
                    int j = i;
                    while (j > pl && less(vv, v[j - 1])) {
                        t[j] = t[j - 1];
                        v[j] = v[j - 1];
                        j--;
                    }
                    t[j] = ti;
                    v[j] = vv;
                }
            }
            if (sp == 0) {
                break;
            }
            pr = stack[--sp];
            pl = stack[--sp];
            cdepth = depthStack[--dp];
        }
        return t;
    }

    private static void swap(double[] v, int[] t, int i, int j) {
        double x = v[i];
        v[i] = v[j];
        v[j] = x;
        int y = t[i];
        t[i] = t[j];
        t[j] = y;
    }

    /** numpy's {@code aheapsort_} on {@code t[off .. off+n)}, 1-based heap indexing as in the C code. */
    private static void heapsort(double[] v, int[] t, int off, int n) {
        int base = off - 1; // a[k] is t[base + k]
        int i;
        int j;
        int tmp;
        for (int l = n >> 1; l > 0; --l) {
            tmp = t[base + l];
            for (i = l, j = l << 1; j <= n;) {
                if (j < n && less(v[t[base + j]], v[t[base + j + 1]])) {
                    j += 1;
                }
                if (less(v[tmp], v[t[base + j]])) {
                    t[base + i] = t[base + j];
                    i = j;
                    j += j;
                } else {
                    break;
                }
            }
            t[base + i] = tmp;
        }
        for (; n > 1;) {
            tmp = t[base + n];
            t[base + n] = t[base + 1];
            n -= 1;
            for (i = 1, j = 2; j <= n;) {
                if (j < n && less(v[t[base + j]], v[t[base + j + 1]])) {
                    j++;
                }
                if (less(v[tmp], v[t[base + j]])) {
                    t[base + i] = t[base + j];
                    i = j;
                    j += j;
                } else {
                    break;
                }
            }
            t[base + i] = tmp;
        }
    }

    /** {@code np.sum} of {@code a[from .. from+n)}: pairwise summation with 8 accumulators per 128-block. */
    static double sum(double[] a, int from, int n) {
        if (n < 8) {
            double res = 0.0;
            for (int i = 0; i < n; i++) {
                res += a[from + i];
            }
            return res;
        }
        if (n <= PW_BLOCKSIZE) {
            double r0 = a[from];
            double r1 = a[from + 1];
            double r2 = a[from + 2];
            double r3 = a[from + 3];
            double r4 = a[from + 4];
            double r5 = a[from + 5];
            double r6 = a[from + 6];
            double r7 = a[from + 7];
            int i;
            for (i = 8; i < n - (n % 8); i += 8) {
                int k = from + i;
                r0 += a[k];
                r1 += a[k + 1];
                r2 += a[k + 2];
                r3 += a[k + 3];
                r4 += a[k + 4];
                r5 += a[k + 5];
                r6 += a[k + 6];
                r7 += a[k + 7];
            }
            double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++) {
                res += a[from + i];
            }
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return sum(a, from, n2) + sum(a, from + n2, n - n2);
    }

    static double sum(double[] a) {
        return sum(a, 0, a.length);
    }

    /** {@code np.linspace(start, stop, num)} (endpoint included): {@code i * step + start}, last forced to stop. */
    static double[] linspace(double start, double stop, int num) {
        double[] y = new double[num];
        int div = num - 1;
        if (div > 0) {
            double step = (stop - start) / div;
            for (int i = 0; i < num; i++) {
                y[i] = i * step + start;
            }
            y[num - 1] = stop;
        } else {
            for (int i = 0; i < num; i++) {
                y[i] = i * (stop - start) + start;
            }
        }
        return y;
    }
}
