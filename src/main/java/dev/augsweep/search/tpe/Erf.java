package dev.augsweep.search.tpe;

/**
 * The error function, which Java's Math lacks. Two variants, because Optuna 3.1's truncated normal uses both: {@link
 * #erf}/{@link #erfc} are FreeBSD/fdlibm {@code s_erf.c} (what Python's {@code math.erf} reaches through libm), and
 * {@link #optunaErf} is Optuna's numpy port of the same file ({@code _tpe/_erf.py}), which drops fdlibm's low-word
 * trick in the tails and so differs from it in the last bits. Exponentials go through {@link Libm}.
 */
final class Erf {
    private Erf() {
    }

    private static final double ERX = 8.45062911510467529297e-01;
    private static final double EFX = 1.28379167095512586316e-01;
    private static final double PP0 = 1.28379167095512558561e-01;
    private static final double PP1 = -3.25042107247001499370e-01;
    private static final double PP2 = -2.84817495755985104766e-02;
    private static final double PP3 = -5.77027029648944159157e-03;
    private static final double PP4 = -2.37630166566501626084e-05;
    private static final double QQ1 = 3.97917223959155352819e-01;
    private static final double QQ2 = 6.50222499887672944485e-02;
    private static final double QQ3 = 5.08130628187576562776e-03;
    private static final double QQ4 = 1.32494738004321644526e-04;
    private static final double QQ5 = -3.96022827877536812320e-06;
    private static final double PA0 = -2.36211856075265944077e-03;
    private static final double PA1 = 4.14856118683748331666e-01;
    private static final double PA2 = -3.72207876035701323847e-01;
    private static final double PA3 = 3.18346619901161753674e-01;
    private static final double PA4 = -1.10894694282396677476e-01;
    private static final double PA5 = 3.54783043256182359371e-02;
    private static final double PA6 = -2.16637559486879084300e-03;
    private static final double QA1 = 1.06420880400844228286e-01;
    private static final double QA2 = 5.40397917702171048937e-01;
    private static final double QA3 = 7.18286544141962662868e-02;
    private static final double QA4 = 1.26171219808761642112e-01;
    private static final double QA5 = 1.36370839120290507362e-02;
    private static final double QA6 = 1.19844998467991074170e-02;
    private static final double RA0 = -9.86494403484714822705e-03;
    private static final double RA1 = -6.93858572707181764372e-01;
    private static final double RA2 = -1.05586262253232909814e01;
    private static final double RA3 = -6.23753324503260060396e01;
    private static final double RA4 = -1.62396669462573470355e02;
    private static final double RA5 = -1.84605092906711035994e02;
    private static final double RA6 = -8.12874355063065934246e01;
    private static final double RA7 = -9.81432934416914548592e00;
    private static final double SA1 = 1.96512716674392571292e01;
    private static final double SA2 = 1.37657754143519042600e02;
    private static final double SA3 = 4.34565877475229228821e02;
    private static final double SA4 = 6.45387271733267880336e02;
    private static final double SA5 = 4.29008140027567833386e02;
    private static final double SA6 = 1.08635005541779435134e02;
    private static final double SA7 = 6.57024977031928170135e00;
    private static final double SA8 = -6.04244152148580987438e-02;
    private static final double RB0 = -9.86494292470009928597e-03;
    private static final double RB1 = -7.99283237680523006574e-01;
    private static final double RB2 = -1.77579549177547519889e01;
    private static final double RB3 = -1.60636384855821916062e02;
    private static final double RB4 = -6.37566443368389627722e02;
    private static final double RB5 = -1.02509513161107724954e03;
    private static final double RB6 = -4.83519191608651397019e02;
    private static final double SB1 = 3.03380607434824582924e01;
    private static final double SB2 = 3.25792512996573918826e02;
    private static final double SB3 = 1.53672958608443695994e03;
    private static final double SB4 = 3.19985821950859553908e03;
    private static final double SB5 = 2.55305040643316442583e03;
    private static final double SB6 = 4.74528541206955367215e02;
    private static final double SB7 = -2.24409524465858183362e01;
    private static final double TINY = 1e-300;

    private static double pSmall(double z) {
        return PP0 + z * (PP1 + z * (PP2 + z * (PP3 + z * PP4)));
    }

    private static double qSmall(double z) {
        return 1.0 + z * (QQ1 + z * (QQ2 + z * (QQ3 + z * (QQ4 + z * QQ5))));
    }

    private static double pMid(double s) {
        return PA0 + s * (PA1 + s * (PA2 + s * (PA3 + s * (PA4 + s * (PA5 + s * PA6)))));
    }

    private static double qMid(double s) {
        return 1.0 + s * (QA1 + s * (QA2 + s * (QA3 + s * (QA4 + s * (QA5 + s * QA6)))));
    }

    private static double rA(double s) {
        return RA0 + s * (RA1 + s * (RA2 + s * (RA3 + s * (RA4 + s * (RA5 + s * (RA6 + s * RA7))))));
    }

    private static double sA(double s) {
        return 1.0 + s * (SA1 + s * (SA2 + s * (SA3 + s * (SA4 + s * (SA5 + s * (SA6 + s * (SA7 + s * SA8)))))));
    }

    private static double rB(double s) {
        return RB0 + s * (RB1 + s * (RB2 + s * (RB3 + s * (RB4 + s * (RB5 + s * RB6)))));
    }

    private static double sB(double s) {
        return 1.0 + s * (SB1 + s * (SB2 + s * (SB3 + s * (SB4 + s * (SB5 + s * (SB6 + s * SB7))))));
    }

    /** fdlibm's tail factor exp(-x^2 - 0.5625 + R/S), with x^2 split (low word zeroed) to keep it accurate. */
    private static double tail(double x, double ratio) {
        double z = Double.longBitsToDouble(Double.doubleToRawLongBits(x) & 0xffffffff00000000L);
        return Libm.exp(-z * z - 0.5625) * Libm.exp((z - x) * (z + x) + ratio);
    }

    /** fdlibm {@code erf(x)}. */
    static double erf(double x) {
        long bits = Double.doubleToRawLongBits(x);
        int hx = (int) (bits >>> 32);
        int ix = hx & 0x7fffffff;
        if (ix >= 0x7ff00000) { // erf(nan) = nan, erf(+-inf) = +-1
            int i = (hx >>> 31) << 1;
            return (1 - i) + 1.0 / x;
        }
        if (ix < 0x3feb0000) { // |x| < 0.84375
            if (ix < 0x3e300000) { // |x| < 2**-28
                if (ix < 0x00800000) {
                    return 0.125 * (8.0 * x + (EFX * 8.0) * x); // avoid underflow
                }
                return x + EFX * x;
            }
            double z = x * x;
            double y = pSmall(z) / qSmall(z);
            return x + x * y;
        }
        if (ix < 0x3ff40000) { // 0.84375 <= |x| < 1.25
            double s = Math.abs(x) - 1.0;
            double p = pMid(s);
            double q = qMid(s);
            return hx >= 0 ? ERX + p / q : -ERX - p / q;
        }
        if (ix >= 0x40180000) { // |x| >= 6
            return hx >= 0 ? 1.0 - TINY : TINY - 1.0;
        }
        double ax = Math.abs(x);
        double s = 1.0 / (ax * ax);
        double ratio = ix < 0x4006DB6E ? rA(s) / sA(s) : rB(s) / sB(s); // |x| < 1/0.35 or not
        double r = tail(ax, ratio);
        return hx >= 0 ? 1.0 - r / ax : r / ax - 1.0;
    }

    /** fdlibm {@code erfc(x)} = 1 - erf(x), accurate in the right tail. */
    static double erfc(double x) {
        long bits = Double.doubleToRawLongBits(x);
        int hx = (int) (bits >>> 32);
        int ix = hx & 0x7fffffff;
        if (ix >= 0x7ff00000) { // erfc(nan) = nan, erfc(+-inf) = 0, 2
            return ((hx >>> 31) << 1) + 1.0 / x;
        }
        if (ix < 0x3feb0000) { // |x| < 0.84375
            if (ix < 0x3c700000) { // |x| < 2**-56
                return 1.0 - x;
            }
            double z = x * x;
            double y = pSmall(z) / qSmall(z);
            if (hx < 0x3fd00000) { // x < 1/4
                return 1.0 - (x + x * y);
            }
            double r = x * y;
            r += (x - 0.5);
            return 0.5 - r;
        }
        if (ix < 0x3ff40000) { // 0.84375 <= |x| < 1.25
            double s = Math.abs(x) - 1.0;
            double p = pMid(s);
            double q = qMid(s);
            if (hx >= 0) {
                return 1.0 - ERX - p / q;
            }
            return 1.0 + (ERX + p / q);
        }
        if (ix < 0x403c0000) { // |x| < 28
            double ax = Math.abs(x);
            double s = 1.0 / (ax * ax);
            double ratio;
            if (ix < 0x4006DB6D) { // |x| < 1/.35 ~ 2.857143
                ratio = rA(s) / sA(s);
            } else {
                if (hx < 0 && ix >= 0x40180000) { // x < -6
                    return 2.0 - TINY;
                }
                ratio = rB(s) / sB(s);
            }
            double r = tail(ax, ratio);
            return hx > 0 ? r / ax : 2.0 - r / ax;
        }
        return hx > 0 ? TINY * TINY : 2.0 - TINY;
    }

    /**
     * Optuna 3.1's {@code _erf.erf} (numpy port of fdlibm without the low-word split and with plain ±1 beyond 6),
     * which its vectorised {@code _ndtr} uses: reproduced so that central-interval masses match to the bit.
     */
    static double optunaErf(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        double a = Math.abs(x);
        if (a < 0x1p-28) {
            return x + EFX * x;
        }
        if (a < 0.84375) {
            double z = x * x;
            double r = pSmall(z);
            double s = qSmall(z);
            double y = r / s;
            return x + x * y;
        }
        if (a < 1.25) {
            double s = a - 1.0;
            return (ERX + pMid(s) / qMid(s)) * Math.signum(x);
        }
        if (a < 1 / 0.35) {
            double s = 1.0 / (a * a);
            double r = Libm.exp(-a * a - 0.5625) * Libm.exp(rA(s) / sA(s));
            return (1.0 - r / a) * Math.signum(x);
        }
        if (a < 6) {
            double s = 1.0 / (a * a);
            double r = Libm.exp(-a * a - 0.5625) * Libm.exp(rB(s) / sB(s));
            return (1.0 - r / a) * Math.signum(x);
        }
        return Math.signum(x); // also +-1 for +-inf
    }
}
