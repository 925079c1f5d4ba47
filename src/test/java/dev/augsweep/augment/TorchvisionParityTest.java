package dev.augsweep.augment;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import dev.augsweep.data.CifarSplit;
import dev.augsweep.testing.PeerPython;
import dev.augsweep.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each view operation against torchvision's, as the paper's pipeline runs it on PIL images (8-bit after every
 * operation; src/test/python/parity.py), with the same parameters on the same CIFAR-10 images, pixel by pixel.
 * Ours computes in float, so the differences to expect are PIL's roundings, plus PIL's own approximations where it
 * makes them (the limits below say which).
 */
class TorchvisionParityTest {
    private static final int IMAGES = 48;

    /** Per operation: how our float pixels came out, and the largest difference allowed, in 8-bit levels. */
    private record Op(String name, double maxLevels, double meanLevels, BiConsumer<float[], Map<String, Object>> ours) {
    }

    @Test
    void everyOperationMatchesTorchvisionWithinItsEightBitRounding(@TempDir Path dir) throws Exception {
        CifarSplit split = TestData.cifar().test();
        SplittableRandom rng = new SplittableRandom(17);
        byte[] hwc = new byte[IMAGES * CifarSplit.IMAGE_BYTES];
        List<Map<String, Object>> params = new ArrayList<>();
        for (int k = 0; k < IMAGES; k++) {
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < CifarSplit.PLANE; i++) {
                    hwc[k * CifarSplit.IMAGE_BYTES + 3 * i + c] = split.pixels()[k * CifarSplit.IMAGE_BYTES
                            + c * CifarSplit.PLANE + i];
                }
            }
            int[] box = ResizedCrop.sampleBox(rng, 0.08);
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("crop", List.of(box[0], box[1], box[2], box[3]));
            p.put("brightness", 0.6 + 0.8 * rng.nextDouble());
            p.put("contrast", 0.6 + 0.8 * rng.nextDouble());
            p.put("saturation", 0.6 + 0.8 * rng.nextDouble());
            p.put("hue", -0.1 + 0.2 * rng.nextDouble());
            params.add(p);
        }
        Files.write(dir.resolve("images.bin"), hwc);
        Files.writeString(dir.resolve("manifest.json"), ConfigValueFactory.fromMap(Map.of("images", "images.bin",
                "ops", params)).render(ConfigRenderOptions.concise()));
        PeerPython.run(Path.of("src/test/python/parity.py"), "augment", dir.toString());

        GaussianBlur blur = new GaussianBlur(1.0);
        float[] scratch = new float[3 * Image.PLANE];
        List<Op> ops = List.of(
                new Op("crop", 1, 0.35, (px, p) -> {
                    float[] src = px.clone();
                    @SuppressWarnings("unchecked") List<Number> b = (List<Number>) p.get("crop");
                    ResizedCrop.apply(src, px, b.get(0).intValue(), b.get(1).intValue(), b.get(2).intValue(),
                            b.get(3).intValue());
                }),
                new Op("brightness", 1, 0.6, (px, p) -> ColorOps.brightness(px, num(p, "brightness"))),
                // PIL blends with the 8-bit luma (contrast: its mean, rounded to a whole level).
                new Op("contrast", 1.5, 0.6, (px, p) -> ColorOps.contrast(px, num(p, "contrast"))),
                new Op("saturation", 1.5, 0.6, (px, p) -> ColorOps.saturation(px, num(p, "saturation"))),
                // PIL rotates hue in 8-bit HSV (hue truncated to 1/255 of a turn, saturation to 8 bits): up to 11
                // levels in saturated pixels, a quarter of a level on average. Not emulated.
                new Op("hue", 12, 0.4, (px, p) -> ColorOps.hue(px, num(p, "hue"))),
                new Op("grayscale", 1, 0.3, (px, p) -> ColorOps.grayscale(px)),
                // PIL rounds each of its six box passes to 8 bits: about half a level on average.
                new Op("blur", 3, 0.6, (px, p) -> blur.apply(px, scratch)));
        Image image = new Image();
        StringBuilder report = new StringBuilder();
        Map<Op, double[]> measured = new LinkedHashMap<>();
        for (Op op : ops) {
            double max = 0;
            double sum = 0;
            for (int k = 0; k < IMAGES; k++) {
                image.load(split.pixels(), k * CifarSplit.IMAGE_BYTES);
                float[] px = image.pixels().clone();
                op.ours().accept(px, params.get(k));
                byte[] theirs = Files.readAllBytes(dir.resolve("out").resolve(op.name() + k + ".bin"));
                for (int c = 0; c < 3; c++) {
                    for (int i = 0; i < Image.PLANE; i++) {
                        double d = Math.abs(px[c * Image.PLANE + i] * 255.0 - (theirs[3 * i + c] & 0xff));
                        max = Math.max(max, d);
                        sum += d;
                    }
                }
            }
            double mean = sum / (IMAGES * CifarSplit.IMAGE_BYTES);
            report.append(String.format(Locale.ROOT, "%-10s max %.2f, mean %.3f levels%n", op.name(), max, mean));
            measured.put(op, new double[] {max, mean});
        }
        System.out.print(report);
        measured.forEach((op, m) -> {
            assertThat(m[0]).as("%s: largest difference in 8-bit levels%n%s", op.name(), report)
                    .isLessThanOrEqualTo(op.maxLevels());
            assertThat(m[1]).as("%s: mean difference in 8-bit levels%n%s", op.name(), report)
                    .isLessThanOrEqualTo(op.meanLevels());
        });
    }

    private static float num(Map<String, Object> p, String key) {
        return ((Number) p.get(key)).floatValue();
    }
}
