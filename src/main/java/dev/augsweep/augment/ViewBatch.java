package dev.augsweep.augment;

/**
 * Two augmented views of the same {@code size} images, interleaved (NHWC): either normalised floats ({@code view0},
 * {@code view1}), or the views quantised to 8 bits ({@code bytes0}, {@code bytes1}: a quarter of the bytes to upload,
 * as a PIL image holds them before torchvision's ToTensor) with the {@code mean} and {@code std} the device normalises
 * them by. The other pair is null.
 */
public record ViewBatch(float[] view0, float[] view1, byte[] bytes0, byte[] bytes1, float[] mean, float[] std,
                        int size) {
    public static ViewBatch floats(float[] view0, float[] view1, int size) {
        return new ViewBatch(view0, view1, null, null, null, null, size);
    }

    public static ViewBatch bytes(byte[] bytes0, byte[] bytes1, float[] mean, float[] std, int size) {
        return new ViewBatch(null, null, bytes0, bytes1, mean, std, size);
    }

    public boolean quantised() {
        return bytes0 != null;
    }
}
