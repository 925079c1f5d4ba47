package dev.augsweep.search.tpe;

import dev.augsweep.search.Distribution;
import java.util.List;

/**
 * One searched setting as Optuna 3.1 would declare it, derived from its {@link Distribution}: {@code uniform} is a
 * FloatDistribution, {@code loguniform} a log FloatDistribution, {@code intrange} an IntDistribution with step 1, and
 * {@code choice} a CategoricalDistribution. It converts values between the caller's form (Double, Integer, or the
 * choice's own value) and TPE's internal number (the float itself, the int as a float, the choice's index).
 *
 * @param key        the setting's name
 * @param source     the distribution it came from
 * @param kind       which of Optuna's four cases it is
 * @param low        the lower bound (external; 0 for a choice)
 * @param high       the upper bound (external; number of choices - 1 for a choice)
 * @param parzenLow  the Parzen estimator's lower bound (log for log scale, -step/2 for ints)
 * @param parzenHigh the Parzen estimator's upper bound
 * @param step       the rounding cell of a discrete setting (1 for ints), NaN for continuous ones
 * @param choices    the choice's values (empty unless {@code kind == CATEGORICAL})
 */
public record TpeParameter(String key, Distribution source, Kind kind, double low, double high, double parzenLow,
        double parzenHigh, double step, List<Object> choices) {

    public enum Kind {
        FLOAT, LOG_FLOAT, INT, CATEGORICAL
    }

    /** The Optuna declaration of {@code distribution}. */
    public static TpeParameter of(String key, Distribution distribution) {
        if (distribution instanceof Distribution.Uniform u) {
            return new TpeParameter(key, distribution, Kind.FLOAT, u.low(), u.high(), u.low(), u.high(), Double.NaN,
                    List.of());
        }
        if (distribution instanceof Distribution.LogUniform u) {
            return new TpeParameter(key, distribution, Kind.LOG_FLOAT, u.low(), u.high(), Libm.log(u.low()),
                    Libm.log(u.high()), Double.NaN, List.of());
        }
        if (distribution instanceof Distribution.IntRange r) {
            double q = 1.0;
            return new TpeParameter(key, distribution, Kind.INT, r.low(), r.high(), r.low() - 0.5 * q,
                    r.high() + 0.5 * q, q, List.of());
        }
        if (distribution instanceof Distribution.Choice c) {
            return new TpeParameter(key, distribution, Kind.CATEGORICAL, 0, c.values().size() - 1, Double.NaN,
                    Double.NaN, Double.NaN, c.values());
        }
        throw new IllegalArgumentException("no TPE form for " + distribution);
    }

    /**
     * Whether only one value is possible (Optuna's {@code single()}): then the value is returned without consulting
     * the sampler, and no random number is drawn.
     */
    public boolean single() {
        return kind == Kind.CATEGORICAL ? choices.size() == 1 : low == high;
    }

    /** Whether the value is rounded to a cell (ints), so densities are cell probabilities. */
    public boolean discrete() {
        return !Double.isNaN(step);
    }

    /**
     * The internal number of {@code value}; null gives NaN ("the trial has no value for this setting", which TPE
     * skips, as Optuna does). A value outside a choice's list is an error rather than silently unobserved: 512 and
     * "512" are different values.
     */
    public double internal(Object value) {
        if (value == null) {
            return Double.NaN;
        }
        if (kind == Kind.CATEGORICAL) {
            int i = choices.indexOf(value);
            if (i < 0) {
                throw new IllegalArgumentException(key + " = " + value + " (" + value.getClass().getSimpleName()
                        + ") is not one of " + source.text());
            }
            return i;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException(key + " = " + value + " is not a number");
    }

    /** The caller's form of internal number {@code x}: Double, Integer, or the choice's value. */
    public Object external(double x) {
        return switch (kind) {
            case FLOAT, LOG_FLOAT -> x;
            case INT -> (int) x;
            case CATEGORICAL -> choices.get((int) x);
        };
    }

    /** The value of a single-valued setting. */
    public Object onlyValue() {
        return kind == Kind.CATEGORICAL ? choices.get(0) : external(low);
    }
}
