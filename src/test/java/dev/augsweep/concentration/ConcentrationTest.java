package dev.augsweep.concentration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.ConfigFactory;
import dev.augsweep.config.AugmentationSpec;
import dev.augsweep.config.TrialConfigs;
import dev.augsweep.data.CifarSplit;
import dev.augsweep.driver.SweepDriver;
import dev.augsweep.job.SweepJob;
import dev.augsweep.job.SweepJobs;
import dev.augsweep.results.SparkSessions;
import dev.augsweep.storage.StorePath;
import dev.augsweep.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The (sigma, delta)-measure on inputs whose answer is known, and the Spark run against a direct computation. */
class ConcentrationTest {
    private static float[] distances(float[] vectors, int n, int v, int d, int block) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            return AugmentedDistances.compute(m, vectors, n, v, d, block);
        }
    }

    /** d_A the slow way: every pair of images, every pair of their views, in double precision. */
    static double[] direct(float[] vectors, int n, int v, int d) {
        double[] out = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double min = Double.POSITIVE_INFINITY;
                for (int a = 0; a < v; a++) {
                    for (int b = 0; b < v; b++) {
                        double sum = 0;
                        for (int k = 0; k < d; k++) {
                            double diff = vectors[(i * v + a) * d + k] - vectors[(j * v + b) * d + k];
                            sum += diff * diff;
                        }
                        min = Math.min(min, sum);
                    }
                }
                out[i * n + j] = i == j ? 0 : Math.sqrt(min);
            }
        }
        return out;
    }

    @Test
    void aClassOfTwoTightClustersIsConcentratedToItsLargerClusterBetweenSpreadAndSeparation() {
        // 20 points near one centre, 10 near another 100 away; each within 0.5 of its centre.
        int n = 30;
        int d = 8;
        float[] v = new float[n * d];
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                v[i * d + k] = (i < 20 ? 0 : (k == 0 ? 100 : 0)) + (float) (rng.nextDouble() - 0.5) * 0.3f;
            }
        }
        float[] dist = distances(v, n, 1, d, 7);
        for (double delta : new double[] {1.0, 10.0, 50.0, 99.0}) {
            MaxClique.Result r = MaxClique.of(dist, n, delta, 1_000_000);
            assertThat(r.exact()).isTrue();
            assertThat(r.size() / (double) n).as("sigma at delta %s", delta).isEqualTo(20.0 / 30);
        }
        assertThat(MaxClique.of(dist, n, 0.001, 1_000_000).size()).isEqualTo(1); // below the spread: single points
        assertThat(MaxClique.of(dist, n, 200, 1_000_000).size()).isEqualTo(30); // beyond the separation: all
    }

    @Test
    void withoutAugmentationDaIsThePlainPixelDistance() {
        CifarSplit train = TestData.cifar().train();
        // No crop (scale 1 keeps the whole image), no flip, jitter, grayscale or blur: every view is the image.
        AugmentationSpec none = new AugmentationSpec(1.0, 0, 0, 0.4, 0.1, 0, 0, 1.0,
                new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});
        int[] images = ClassViews.firstOfClass(train, 3, 12);
        float[] views = ClassViews.pixels(train, images, none, 3, 0);
        float[] withViews = distances(views, 12, 4, CifarSplit.IMAGE_BYTES, 5);
        float[] plain = new float[12 * CifarSplit.IMAGE_BYTES];
        for (int i = 0; i < 12; i++) {
            System.arraycopy(views, i * 4 * CifarSplit.IMAGE_BYTES, plain, i * CifarSplit.IMAGE_BYTES, CifarSplit.IMAGE_BYTES);
        }
        double[] expected = direct(plain, 12, 1, CifarSplit.IMAGE_BYTES);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) withViews[i]).isCloseTo(expected[i], offset(1e-3 * Math.max(1, expected[i])));
        }
    }

    @Test
    void moreViewsOfTheSameDrawsNeverIncreaseDa() {
        CifarSplit train = TestData.cifar().train();
        AugmentationSpec abcde = TrialConfigs.load(null, List.of("augs=abcde")).augmentation();
        int[] images = ClassViews.firstOfClass(train, 5, 10);
        float[] few = distances(ClassViews.pixels(train, images, abcde, 2, 7), 10, 3, CifarSplit.IMAGE_BYTES, 4);
        float[] many = distances(ClassViews.pixels(train, images, abcde, 6, 7), 10, 7, CifarSplit.IMAGE_BYTES, 4);
        double[] exact = direct(ClassViews.pixels(train, images, abcde, 2, 7), 10, 3, CifarSplit.IMAGE_BYTES);
        boolean fewer = false;
        for (int i = 0; i < few.length; i++) {
            assertThat(many[i]).isLessThanOrEqualTo(few[i] + 1e-2f); // the first views are the same draws
            assertThat((double) few[i]).isCloseTo(exact[i], offset(1e-3 * Math.max(1, exact[i])));
            fewer |= many[i] < few[i] - 1e-2f;
        }
        assertThat(fewer).as("more views found a closer pair somewhere").isTrue();
    }

    @Test
    void theSparkMeasureEqualsADirectComputationOnTheSameDrawsAndRepeatsExactly(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("pairs.conf");
        Files.writeString(job, "name = conc\ngrid { method = [simclr], augs = [ab, ad], seed = [0] }\n");
        SweepJob sweep = SweepJobs.load(job, List.of("data=" + TestData.archive().toAbsolutePath()), 10);
        ConcentrationRecipe recipe = ConcentrationRecipe.parse(ConfigFactory.parseString(
                "concentration { images-per-class = 9, views = 2, space = pixels, features-of = \"\", "
                        + "delta-quantiles = [0.2, 0.6], seed = 3, max-clique-nodes = 1000000, block = 4 }"),
                new ArrayList<>());
        Map<String, String> spark = Map.of("spark.ui.enabled", "false");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Concentration.run(sweep, recipe, new SweepDriver.Options(StorePath.local(dir.resolve("a")), "local[2]", spark,
                false),
                new PrintStream(log, true));
        assertThat(log.toString()).contains("1 - sigma").doesNotContain("FAILED");
        Concentration.run(sweep, recipe, new SweepDriver.Options(StorePath.local(dir.resolve("b")), "local[2]", spark,
                false),
                new PrintStream(new ByteArrayOutputStream()));
        List<Row> a = rows(dir.resolve("a"));
        List<Row> b = rows(dir.resolve("b"));
        assertThat(a).hasSize(2 * 2);
        for (int i = 0; i < a.size(); i++) { // the same seed, the same numbers
            assertThat(b.get(i).<Double>getAs("one_minus_sigma")).isEqualTo(a.get(i).<Double>getAs("one_minus_sigma"));
            assertThat(b.get(i).<String>getAs("sigma_per_class")).isEqualTo(a.get(i).<String>getAs("sigma_per_class"));
        }

        // Directly, on one thread: the same views, distances, pooled deltas and cliques.
        CifarSplit train = TestData.cifar().train();
        List<Setting> settings = Setting.of(sweep.trials());
        List<double[]> perSetting = new ArrayList<>();
        List<Double> pooled = new ArrayList<>();
        for (Setting s : settings) {
            for (int k = 0; k < 10; k++) {
                int[] images = ClassViews.firstOfClass(train, k, 9);
                double[] d = direct(ClassViews.pixels(train, images, s.trial().augmentation(), 2, 3), 9, 3,
                        CifarSplit.IMAGE_BYTES);
                perSetting.add(d);
                for (int i = 0; i < 9; i++) {
                    for (int j = i + 1; j < 9; j++) {
                        pooled.add(d[i * 9 + j]);
                    }
                }
            }
        }
        pooled.sort(Comparator.naturalOrder());
        for (Row r : a) {
            int s = settings.stream().map(Setting::id).toList().indexOf(r.<String>getAs("setting"));
            double q = r.<Double>getAs("delta_quantile");
            double delta = pooled.get((int) Math.floor(q * (pooled.size() - 1)));
            assertThat(r.<Double>getAs("delta")).isCloseTo(delta, offset(1e-3 * delta));
            double minSigma = 1;
            for (int k = 0; k < 10; k++) {
                float[] d = new float[81];
                double[] exact = perSetting.get(s * 10 + k);
                for (int i = 0; i < 81; i++) {
                    d[i] = (float) exact[i];
                }
                minSigma = Math.min(minSigma, MaxClique.of(d, 9, delta, 1_000_000).size() / 9.0);
            }
            assertThat(r.<Double>getAs("one_minus_sigma")).isCloseTo(1 - minSigma, offset(1e-9));
            assertThat(r.<Boolean>getAs("exact")).isTrue();
        }
        // Again in the same directory: measured already, nothing is added.
        Concentration.run(sweep, recipe, new SweepDriver.Options(StorePath.local(dir.resolve("a")), "local[2]", spark,
                false),
                new PrintStream(new ByteArrayOutputStream()));
        assertThat(rows(dir.resolve("a"))).hasSize(4);
    }

    private static List<Row> rows(Path results) {
        SparkSession spark = SparkSessions.create("read", "local[1]", Map.of("spark.ui.enabled", "false"));
        try {
            return spark.read().format("delta").load(results.resolve("tables").resolve("concentration").toString())
                    .orderBy("setting", "delta_quantile").collectAsList();
        } finally {
            spark.stop();
        }
    }
}
