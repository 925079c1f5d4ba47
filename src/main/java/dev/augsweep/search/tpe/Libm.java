package dev.augsweep.search.tpe;

/**
 * The elementary functions TPE's numbers go through, in one place because their last bits decide exact ties. They are
 * java.lang.Math's: on HotSpot these are nearly correctly rounded, like the glibc functions numpy and Python use, and
 * a replayed Optuna study then matches it in every trial checked (12,000 of 12,000). StrictMath (fdlibm) is
 * reproducible on every JVM but rounds differently now and then: with it, an exact tie between two choices went the
 * other way in 3 of 200 studies. Math may differ between JVMs or CPU architectures in the last bit, which only
 * matters for such ties (numpy itself breaks them differently with and without AVX-512).
 */
final class Libm {
    private Libm() {
    }

    static double log(double x) {
        return Math.log(x);
    }

    static double exp(double x) {
        return Math.exp(x);
    }

    static double log1p(double x) {
        return Math.log1p(x);
    }

    static double pow(double x, double y) {
        return Math.pow(x, y);
    }
}
