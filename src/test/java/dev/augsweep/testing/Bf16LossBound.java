package dev.augsweep.testing;

import dev.augsweep.config.TrialConfig;
import dev.augsweep.method.LossSensitivity;

/**
 * How far bf16 may move a method's loss from fp32's, from the arithmetic rather than from one CPU's result. Under
 * autocast the networks' outputs carry bf16 rounding, relative size {@link #UNIT_ROUNDOFF} per element, errors of
 * random sign that the loss's dot products average rather than add; to first order the loss then moves by at most
 * u times its sensitivity M ({@link LossSensitivity}). An absolute bound: a relative error of SimSiam's near-zero
 * loss is no measure.
 */
public final class Bf16LossBound {
    /** bf16 keeps 8 significant bits: round to nearest errs by at most 2^-8 of the value. */
    public static final double UNIT_ROUNDOFF = 0x1p-8;

    private Bf16LossBound() {
    }

    /** The largest |bf16 loss - fp32 loss| that rounding explains for {@code trial}'s method at this fp32 loss. */
    public static double of(TrialConfig trial, double fp32Loss) {
        return UNIT_ROUNDOFF * LossSensitivity.of(trial.method(), trial.methodParams(), fp32Loss);
    }
}
