package dev.augsweep.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.augsweep.config.AugmentationSpec;
import dev.augsweep.config.TrialConfigs;
import dev.augsweep.data.CifarSplit;
import dev.augsweep.testing.TestData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ViewAugmenterTest {
    private static final int N = 4000;
    private static final int IMG = CifarSplit.IMAGE_BYTES;
    private final CifarSplit images = TestData.cifar().test().limit(200);

    private static AugmentationSpec spec(String... overrides) {
        return TrialConfigs.load(null, List.of(overrides)).augmentation();
    }

    private List<AppliedOps> sample(AugmentationSpec spec) {
        ViewAugmenter aug = new ViewAugmenter(spec);
        float[] out = new float[IMG];
        List<AppliedOps> ops = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            ops.add(aug.augment(images.pixels(), (i % images.size()) * IMG, new SplittableRandom(i), out, 0));
        }
        return ops;
    }

    private static double rate(List<AppliedOps> ops, java.util.function.Predicate<AppliedOps> p) {
        return ops.stream().filter(p).count() / (double) ops.size();
    }

    @Test
    void fullPipelineFiresAtTheProtocolRates() {
        List<AppliedOps> ops = sample(spec("augs=abcde"));
        // 4,000 draws: three standard errors of a rate near 0.5 are about 0.024.
        assertThat(rate(ops, AppliedOps::flipped)).isCloseTo(0.5, offset(0.03));
        assertThat(rate(ops, AppliedOps::jittered)).isCloseTo(0.8, offset(0.025));
        assertThat(rate(ops, AppliedOps::grayscale)).isCloseTo(0.2, offset(0.025));
        assertThat(rate(ops, AppliedOps::blurred)).isCloseTo(0.5, offset(0.03));
    }

    @Test
    void cropBoxesFollowTorchvisionRanges() {
        List<AppliedOps> ops = sample(spec("augs=a"));
        double meanScale = 0;
        for (AppliedOps o : ops) {
            double area = o.cropHeight() * o.cropWidth() / 1024.0;
            double ratio = (double) o.cropWidth() / o.cropHeight();
            assertThat(area).isBetween(0.05, 1.0); // 0.08 before rounding the sides to whole pixels
            assertThat(ratio).isBetween(0.6, 1.6);
            assertThat(o.cropTop() + o.cropHeight()).isLessThanOrEqualTo(32);
            assertThat(o.cropLeft() + o.cropWidth()).isLessThanOrEqualTo(32);
            meanScale += area / ops.size();
        }
        // Uniform scale on [0.08, 1] has mean 0.54; boxes that do not fit are redrawn, which lowers it a little.
        assertThat(meanScale).isBetween(0.45, 0.56);
        assertThat(rate(ops, o -> o.cropHeight() < 32 || o.cropWidth() < 32)).isGreaterThan(0.8);
    }

    @Test
    void absentLettersSwitchTheirAugmentationOff() {
        List<AppliedOps> ops = sample(spec("augs=b"));
        assertThat(rate(ops, o -> o.cropHeight() == 32 && o.cropWidth() == 32)).isEqualTo(1.0);
        assertThat(rate(ops, AppliedOps::flipped)).isZero();
        assertThat(rate(ops, AppliedOps::jittered)).isZero();
        assertThat(rate(ops, AppliedOps::grayscale)).isZero();
        assertThat(rate(ops, AppliedOps::blurred)).isCloseTo(0.5, offset(0.03));
    }

    @Test
    void jitterFactorsStayInRangeAndOrderIsUniformOverAll24() {
        List<AppliedOps> ops = sample(spec("augs=d"));
        Map<String, Integer> orders = new HashMap<>();
        for (AppliedOps o : ops) {
            if (!o.jittered()) {
                continue;
            }
            assertThat(o.brightness()).isBetween(0.6, 1.4);
            assertThat(o.contrast()).isBetween(0.6, 1.4);
            assertThat(o.saturation()).isBetween(0.6, 1.4);
            assertThat(o.hue()).isBetween(-0.1, 0.1);
            orders.merge(Arrays.toString(o.jitterOrder()), 1, Integer::sum);
        }
        assertThat(orders).hasSize(24);
        int jittered = orders.values().stream().mapToInt(Integer::intValue).sum();
        orders.values().forEach(c -> assertThat(c / (double) jittered).isCloseTo(1 / 24.0, offset(0.02)));
    }

    @Test
    void colourModeScalesWithStrengthAndDropsTheRest() {
        List<AppliedOps> ops = sample(spec("augs=color", "strength=1/4"));
        assertThat(rate(ops, AppliedOps::jittered)).isEqualTo(1.0); // 2022 release: probability 1
        for (AppliedOps o : ops) {
            assertThat(o.brightness()).isBetween(0.8, 1.2);
            assertThat(o.hue()).isBetween(-0.05, 0.05);
        }
        assertThat(rate(ops, o -> o.flipped() || o.grayscale() || o.blurred())).isZero();
        assertThat(rate(ops, o -> o.cropHeight() < 32)).isGreaterThan(0.8);
        assertThat(rate(sample(spec("augs=color", "release=2021")), AppliedOps::jittered)).isCloseTo(0.8, offset(0.025));
    }

    @Test
    void flipMirrorsAndGrayscaleEqualisesChannels() {
        float[] plain = view(spec("augs=b", "augment.blur-p=0"), 3);
        float[] flipped = view(spec("augs=e", "augment.flip-p=1"), 3);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    assertThat(flipped[at(c, y, x)]).isEqualTo(plain[at(c, y, 31 - x)]);
                }
            }
        }
        AugmentationSpec grayOnly = spec("augs=c", "augment.gray-p=1", "augment.mean=[0,0,0]", "augment.std=[1,1,1]");
        float[] gray = view(grayOnly, 3);
        for (int i = 0; i < 1024; i++) {
            assertThat(gray[3 * i]).isEqualTo(gray[3 * i + 1]).isEqualTo(gray[3 * i + 2]);
        }
    }

    @Test
    void blurSmoothsAndNormalisationUsesImagenetStatistics() {
        AugmentationSpec none = spec("augs=b", "augment.blur-p=0", "augment.mean=[0,0,0]", "augment.std=[1,1,1]");
        AugmentationSpec blur = spec("augs=b", "augment.blur-p=1", "augment.mean=[0,0,0]", "augment.std=[1,1,1]");
        assertThat(roughness(view(blur, 5))).isLessThan(0.6 * roughness(view(none, 5)));
        float[] raw = view(none, 5);
        float[] normalised = view(spec("augs=b", "augment.blur-p=0"), 5);
        assertThat(normalised[0]).isCloseTo((raw[0] - 0.485f) / 0.229f, offset(1e-5f));
        assertThat(normalised[at(2, 0, 0)]).isCloseTo((raw[at(2, 0, 0)] - 0.406f) / 0.225f, offset(1e-5f));
    }

    @Test
    void jitterIsAppliedInTheRecordedOrder() {
        AugmentationSpec jitter = spec("augs=d", "augment.jitter-p=1", "augment.mean=[0,0,0]", "augment.std=[1,1,1]");
        float[] out = new float[IMG];
        AppliedOps ops = new ViewAugmenter(jitter).augment(images.pixels(), 7 * IMG, new SplittableRandom(11), out, 0);
        float[] manual = new float[IMG];
        for (int i = 0; i < IMG; i++) {
            manual[i] = (images.pixels()[7 * IMG + i] & 0xff) / 255f;
        }
        for (int op : ops.jitterOrder()) {
            switch (op) {
                case 0 -> ColorOps.brightness(manual, (float) ops.brightness());
                case 1 -> ColorOps.contrast(manual, (float) ops.contrast());
                case 2 -> ColorOps.saturation(manual, (float) ops.saturation());
                default -> ColorOps.hue(manual, (float) ops.hue());
            }
        }
        assertThat(planes(out)).containsExactly(manual, offset(1e-6f));
    }

    @Test
    void viewsAreDeterministicPerSeedAndIndependentPerView() {
        AugmentationSpec s = spec("augs=abcde");
        var a = new TwoViewBatches(images, s, 3, 1, new ViewBatchPool(50), java.util.concurrent.ForkJoinPool.commonPool(), 2).make(2);
        var b = new TwoViewBatches(images, s, 3, 1, new ViewBatchPool(50), java.util.concurrent.ForkJoinPool.commonPool(), 2).make(2);
        var otherEpoch = new TwoViewBatches(images, s, 3, 2, new ViewBatchPool(50), java.util.concurrent.ForkJoinPool.commonPool(), 2).make(2);
        assertThat(a.view0()).isEqualTo(b.view0());
        assertThat(a.view1()).isEqualTo(b.view1());
        assertThat(a.view0()).isNotEqualTo(a.view1());
        assertThat(a.view0()).isNotEqualTo(otherEpoch.view0());
        // A recycled batch (another epoch's views) is overwritten completely.
        ViewBatchPool recycled = new ViewBatchPool(50);
        recycled.release(new TwoViewBatches(images, s, 3, 2, new ViewBatchPool(50), java.util.concurrent.ForkJoinPool.commonPool(), 1).make(2));
        var reused = new TwoViewBatches(images, s, 3, 1, recycled, java.util.concurrent.ForkJoinPool.commonPool(), 1).make(2);
        assertThat(reused.view0()).isEqualTo(a.view0());
        assertThat(reused.view1()).isEqualTo(a.view1());
    }

    @Test
    void epochsShuffleAndDropTheLastIncompleteBatch() {
        TwoViewBatches batches = new TwoViewBatches(images, spec(), 0, 0, new ViewBatchPool(64), java.util.concurrent.ForkJoinPool.commonPool(), 2);
        int count = 0;
        while (batches.hasNext()) {
            assertThat(batches.next().size()).isEqualTo(64);
            count++;
        }
        assertThat(count).isEqualTo(3); // 200 images, batch 64: 3 full batches
        int[] order = Seeds.permutation(200, new SplittableRandom(1));
        assertThat(Arrays.stream(order).sorted().toArray()).isEqualTo(java.util.stream.IntStream.range(0, 200).toArray());
        assertThat(order).isNotEqualTo(java.util.stream.IntStream.range(0, 200).toArray());
    }

    private float[] view(AugmentationSpec spec, int image) {
        float[] out = new float[IMG];
        new ViewAugmenter(spec).augment(images.pixels(), image * IMG, new SplittableRandom(0), out, 0);
        return out;
    }

    /** Views are interleaved (HWC): channel c of pixel (y, x). */
    private static int at(int c, int y, int x) {
        return (y * 32 + x) * 3 + c;
    }

    private static float[] planes(float[] interleaved) {
        float[] p = new float[IMG];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 1024; i++) {
                p[c * 1024 + i] = interleaved[3 * i + c];
            }
        }
        return p;
    }

    private static double roughness(float[] px) {
        double sum = 0;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 1; x < 32; x++) {
                    sum += Math.abs(px[at(c, y, x)] - px[at(c, y, x - 1)]);
                }
            }
        }
        return sum;
    }
}
