package dev.augsweep.concentration;

import dev.augsweep.augment.Seeds;
import dev.augsweep.augment.ViewAugmenter;
import dev.augsweep.config.AugmentationSpec;
import dev.augsweep.data.CifarSplit;
import java.util.SplittableRandom;

/**
 * The vectors d_A is computed over, for one class: its first images of the training split, each as itself (the
 * evaluation transform: normalised pixels) followed by {@code views} augmented views. Views come from streams
 * seeded by (seed, image, view), the same for every setting, so that settings are compared on common draws.
 */
public final class ClassViews {
    private ClassViews() {
    }

    /** Indices of the first {@code n} images of {@code clazz} (fewer when the split has fewer). */
    public static int[] firstOfClass(CifarSplit split, int clazz, int n) {
        int[] found = new int[n];
        int count = 0;
        for (int i = 0; i < split.size() && count < n; i++) {
            if (split.label(i) == clazz) {
                found[count++] = i;
            }
        }
        return java.util.Arrays.copyOf(found, count);
    }

    /** images x (views + 1) vectors of 3,072 normalised pixels (HWC, the network's input order), row-major. */
    public static float[] pixels(CifarSplit split, int[] images, AugmentationSpec spec, int views, long seed) {
        int d = CifarSplit.IMAGE_BYTES;
        float[] out = new float[images.length * (views + 1) * d];
        ViewAugmenter augmenter = new ViewAugmenter(spec);
        for (int i = 0; i < images.length; i++) {
            int base = i * (views + 1) * d;
            int offset = images[i] * d;
            augmenter.evaluationView(split.pixels(), offset, out, base);
            for (int v = 0; v < views; v++) {
                augmenter.augment(split.pixels(), offset, new SplittableRandom(Seeds.mix(seed, images[i], v)), out,
                        base + (v + 1) * d);
            }
        }
        return out;
    }
}
