package dev.augsweep.augment;

import dev.augsweep.config.AugmentationSpec;
import java.util.SplittableRandom;

/**
 * The paper's view pipeline, in its order: random resized crop, horizontal flip, colour jitter (random order of
 * its four parts), grayscale, Gaussian blur, then to float and normalise. Views come out interleaved (HWC), the
 * channels-last layout the network trains in; the steps before work on planes. One instance per thread (scratch
 * buffers).
 */
public final class ViewAugmenter {
    private final AugmentationSpec spec;
    private final GaussianBlur blur;
    private final Image source = new Image();
    private final float[] work = new float[3 * Image.PLANE];
    private final float[] scratch = new float[3 * Image.PLANE];

    public ViewAugmenter(AugmentationSpec spec) {
        this.spec = spec;
        this.blur = new GaussianBlur(spec.blurSigma());
    }

    /** Augments image {@code index} of {@code pixels} into {@code out} at {@code outOffset}, normalised, HWC. */
    public AppliedOps augment(byte[] pixels, int imageOffset, SplittableRandom rng, float[] out, int outOffset) {
        AppliedOps ops = transform(pixels, imageOffset, rng);
        normalise(work, out, outOffset);
        return ops;
    }

    /**
     * The same view quantised to 8 bits per channel (round to nearest), not normalised, HWC: within half a level of
     * the float view before normalisation, for the device to normalise after a quarter of the upload.
     */
    public AppliedOps augment(byte[] pixels, int imageOffset, SplittableRandom rng, byte[] out, int outOffset) {
        AppliedOps ops = transform(pixels, imageOffset, rng);
        for (int c = 0; c < 3; c++) {
            int base = c * Image.PLANE;
            for (int i = 0; i < Image.PLANE; i++) {
                float v = Math.min(1f, Math.max(0f, work[base + i]));
                out[outOffset + 3 * i + c] = (byte) Math.round(v * 255f);
            }
        }
        return ops;
    }

    /** The pipeline up to normalisation, its result left in {@code work} (planes). */
    private AppliedOps transform(byte[] pixels, int imageOffset, SplittableRandom rng) {
        source.load(pixels, imageOffset);
        int[] box = ResizedCrop.sampleBox(rng, spec.cropMinScale());
        if (box[2] == Image.SIDE && box[3] == Image.SIDE) {
            System.arraycopy(source.px, 0, work, 0, work.length);
        } else {
            ResizedCrop.apply(source.px, work, box[0], box[1], box[2], box[3]);
        }
        boolean flipped = rng.nextDouble() < spec.flipP();
        if (flipped) {
            flip(work);
        }
        int[] order = null;
        double bf = 1;
        double cf = 1;
        double sf = 1;
        double hf = 0;
        if (rng.nextDouble() < spec.jitterP()) {
            order = permutation4(rng);
            double j = spec.jitter();
            bf = uniform(rng, Math.max(0, 1 - j), 1 + j);
            cf = uniform(rng, Math.max(0, 1 - j), 1 + j);
            sf = uniform(rng, Math.max(0, 1 - j), 1 + j);
            hf = uniform(rng, -spec.hue(), spec.hue());
            for (int op : order) {
                switch (op) {
                    case 0 -> ColorOps.brightness(work, (float) bf);
                    case 1 -> ColorOps.contrast(work, (float) cf);
                    case 2 -> ColorOps.saturation(work, (float) sf);
                    default -> ColorOps.hue(work, (float) hf);
                }
            }
        }
        boolean gray = rng.nextDouble() < spec.grayP();
        if (gray) {
            ColorOps.grayscale(work);
        }
        boolean blurred = rng.nextDouble() < spec.blurP();
        if (blurred) {
            blur.apply(work, scratch);
        }
        return new AppliedOps(box[0], box[1], box[2], box[3], flipped, order, bf, cf, sf, hf, gray, blurred);
    }

    /** The evaluation transform: normalise only (HWC, as {@link #augment}). */
    public void evaluationView(byte[] pixels, int imageOffset, float[] out, int outOffset) {
        source.load(pixels, imageOffset);
        normalise(source.px, out, outOffset);
    }

    /** Planes in, interleaved out: pixel i's channel c lands at {@code 3 * i + c}. */
    private void normalise(float[] px, float[] out, int outOffset) {
        float[] mean = spec.mean();
        float[] std = spec.std();
        for (int c = 0; c < 3; c++) {
            float m = mean[c];
            float inv = 1f / std[c];
            int base = c * Image.PLANE;
            for (int i = 0; i < Image.PLANE; i++) {
                out[outOffset + 3 * i + c] = (px[base + i] - m) * inv;
            }
        }
    }

    private static void flip(float[] px) {
        int n = Image.SIDE;
        for (int row = 0; row < 3 * n; row++) {
            int base = row * n;
            for (int x = 0; x < n / 2; x++) {
                float t = px[base + x];
                px[base + x] = px[base + n - 1 - x];
                px[base + n - 1 - x] = t;
            }
        }
    }

    private static int[] permutation4(SplittableRandom rng) {
        int[] p = {0, 1, 2, 3};
        for (int i = 3; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static double uniform(SplittableRandom rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }
}
