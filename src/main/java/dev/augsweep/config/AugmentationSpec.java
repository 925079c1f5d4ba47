package dev.augsweep.config;

import java.io.Serializable;

/**
 * Probabilities and ranges of the view pipeline (crop, flip, jitter, grayscale, blur, normalise), already
 * resolved from the augmentation letters or the colour mode.
 */
public record AugmentationSpec(
        double cropMinScale,
        double flipP,
        double jitterP,
        double jitter,
        double hue,
        double grayP,
        double blurP,
        double blurSigma,
        float[] mean,
        float[] std) implements Serializable {

    /** The paper's (a)-(e) combination table: a letter present switches its augmentation on. */
    public static AugmentationSpec forLetters(String letters, Augment base) {
        return new AugmentationSpec(
                letters.indexOf('a') >= 0 ? base.cropMinScale() : 1.0,
                letters.indexOf('e') >= 0 ? base.flipP() : 0.0,
                letters.indexOf('d') >= 0 ? base.jitterP() : 0.0,
                base.jitter(), base.hue(),
                letters.indexOf('c') >= 0 ? base.grayP() : 0.0,
                letters.indexOf('b') >= 0 ? base.blurP() : 0.0,
                base.blurSigma(), base.mean(), base.std());
    }

    /** The colour-strength table: crop and jitter only, jitter 0.8s and hue 0.2s. */
    public static AugmentationSpec forColorStrength(double strength, double jitterP, Augment base) {
        return new AugmentationSpec(base.cropMinScale(), 0.0, jitterP, 0.8 * strength, 0.2 * strength,
                0.0, 0.0, base.blurSigma(), base.mean(), base.std());
    }

    /** The configured values of the full pipeline, before letters switch parts off. */
    public record Augment(double cropMinScale, double flipP, double jitterP, double jitter, double hue,
                          double grayP, double blurP, double blurSigma, float[] mean, float[] std)
            implements Serializable {
    }
}
