package dev.augsweep.numerics;

/**
 * How a trial's views reach its device ({@code view-upload}). To a GPU, fp32 views are 12.6 MB a step at batch 512,
 * copied over PCIe from pageable memory while the GPU may wait: 8-bit views are a quarter of that and are normalised
 * on the GPU. They are quantised to the nearest of 256 levels first, as the PIL images of torchvision's pipeline
 * are, so a trial's numbers change within that rounding; each trial records which it used. On a CPU the views need
 * no copy, so they stay fp32, as every CPU result so far.
 */
public final class ViewUpload {
    private ViewUpload() {
    }

    /** Whether views are quantised to 8 bits: {@code configured} is auto, fp32 or uint8. */
    public static boolean quantised(String configured, boolean gpu) {
        return switch (configured) {
            case "uint8" -> true;
            case "fp32" -> false;
            default -> gpu;
        };
    }

    /** The word each trial records. */
    public static String key(boolean quantised) {
        return quantised ? "uint8" : "fp32";
    }
}
