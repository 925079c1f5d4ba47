package dev.augsweep.augment;

/** torchvision's colour transforms on CHW float planes in [0, 1], each a pure in-place function. */
final class ColorOps {
    private static final int P = Image.PLANE;

    private ColorOps() {
    }

    /** ITU-R 601-2 luma, as PIL's convert("L") and torchvision's rgb_to_grayscale. */
    static float luma(float r, float g, float b) {
        return 0.299f * r + 0.587f * g + 0.114f * b;
    }

    static void brightness(float[] px, float factor) {
        for (int i = 0; i < 3 * P; i++) {
            px[i] = clamp(px[i] * factor);
        }
    }

    /** Blends with the mean luma of the whole image. */
    static void contrast(float[] px, float factor) {
        double sum = 0;
        for (int i = 0; i < P; i++) {
            sum += luma(px[i], px[P + i], px[2 * P + i]);
        }
        float mean = (float) (sum / P);
        float offset = (1 - factor) * mean;
        for (int i = 0; i < 3 * P; i++) {
            px[i] = clamp(factor * px[i] + offset);
        }
    }

    /** Blends each pixel with its own luma. */
    static void saturation(float[] px, float factor) {
        for (int i = 0; i < P; i++) {
            float gray = (1 - factor) * luma(px[i], px[P + i], px[2 * P + i]);
            px[i] = clamp(factor * px[i] + gray);
            px[P + i] = clamp(factor * px[P + i] + gray);
            px[2 * P + i] = clamp(factor * px[2 * P + i] + gray);
        }
    }

    /** Rotates hue by {@code shift} of a turn in HSV space. */
    static void hue(float[] px, float shift) {
        for (int i = 0; i < P; i++) {
            float r = px[i];
            float g = px[P + i];
            float b = px[2 * P + i];
            float max = Math.max(r, Math.max(g, b));
            float min = Math.min(r, Math.min(g, b));
            float chroma = max - min;
            if (chroma <= 0f) {
                continue; // grey pixels have no hue to rotate
            }
            float h;
            if (max == r) {
                h = ((g - b) / chroma) / 6f;
            } else if (max == g) {
                h = ((b - r) / chroma + 2f) / 6f;
            } else {
                h = ((r - g) / chroma + 4f) / 6f;
            }
            h += shift;
            h -= (float) Math.floor(h);
            float s = chroma / max;
            float v = max;
            float h6 = h * 6f;
            int sector = Math.min(5, (int) h6);
            float f = h6 - sector;
            float p = v * (1 - s);
            float q = v * (1 - s * f);
            float t = v * (1 - s * (1 - f));
            switch (sector) {
                case 0 -> set(px, i, v, t, p);
                case 1 -> set(px, i, q, v, p);
                case 2 -> set(px, i, p, v, t);
                case 3 -> set(px, i, p, q, v);
                case 4 -> set(px, i, t, p, v);
                default -> set(px, i, v, p, q);
            }
        }
    }

    static void grayscale(float[] px) {
        for (int i = 0; i < P; i++) {
            float l = luma(px[i], px[P + i], px[2 * P + i]);
            px[i] = l;
            px[P + i] = l;
            px[2 * P + i] = l;
        }
    }

    private static void set(float[] px, int i, float r, float g, float b) {
        px[i] = r;
        px[P + i] = g;
        px[2 * P + i] = b;
    }

    private static float clamp(float v) {
        return v < 0f ? 0f : (v > 1f ? 1f : v);
    }
}
