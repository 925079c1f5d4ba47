package dev.augsweep.augment;

/**
 * What the pipeline did to one view: the crop box, and which random operations fired with which factors.
 * Tests check rates and ranges against the protocol from these; debugging uses them too.
 *
 * @param jitterOrder order of brightness(0), contrast(1), saturation(2), hue(3), or null when jitter did not fire
 */
public record AppliedOps(int cropTop, int cropLeft, int cropHeight, int cropWidth, boolean flipped,
                         int[] jitterOrder, double brightness, double contrast, double saturation, double hue,
                         boolean grayscale, boolean blurred) {
    public boolean jittered() {
        return jitterOrder != null;
    }
}
