package dev.augsweep.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.augsweep.config.TrialConfigs;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Search blocks: the samples they draw, and the blocks they refuse. */
class SearchSpaceTest {
    private static SearchSpace parse(String block, List<String> problems) {
        Config c = ConfigFactory.parseString(block);
        return SearchSpace.parse(c, "job.conf", TrialConfigs.defaults(), problems);
    }

    private static SearchSpace parse(String block) {
        List<String> problems = new ArrayList<>();
        SearchSpace s = parse(block, problems);
        assertThat(problems).isEmpty();
        return s;
    }

    private static final String BLOCK = "samples = 64, sampler = %s, seed = %d, lr = \"loguniform(0.01, 0.5)\", "
            + "strength = \"uniform(0.1, 1.0)\", batch-size = \"choice(256, 512)\", knn.k = \"intrange(50, 400)\"";

    @Test
    void theSameBlockDrawsTheSameSamplesAndAnotherSeedOthers() {
        for (String sampler : List.of("random", "sobol")) {
            List<Sample> a = parse(BLOCK.formatted(sampler, 0)).draw();
            assertThat(parse(BLOCK.formatted(sampler, 0)).draw()).isEqualTo(a);
            List<Sample> b = parse(BLOCK.formatted(sampler, 1)).draw();
            assertThat(b).hasSize(64).isNotEqualTo(a);
            assertThat(b.stream().map(Sample::values).distinct().count()).isGreaterThan(60);
        }
    }

    @Test
    void valuesStayInTheirRangesWithTheirTypes() {
        for (String sampler : List.of("random", "sobol")) {
            for (Sample s : parse(BLOCK.formatted(sampler, 3)).draw()) {
                assertThat((Double) s.values().get("lr")).isBetween(0.01, 0.5);
                assertThat((Double) s.values().get("strength")).isBetween(0.1, 1.0);
                assertThat(s.values().get("batch-size")).isIn(256, 512);
                assertThat((Integer) s.values().get("knn.k")).isBetween(50, 400);
                assertThat(s.numbers()).containsOnlyKeys("lr", "strength", "batch-size", "knn.k");
            }
        }
        // Log-uniform: as many draws below the geometric middle of the range as above it.
        long low = parse(BLOCK.formatted("sobol", 0).replace("64", "1024")).draw().stream()
                .filter(s -> (Double) s.values().get("lr") < Math.sqrt(0.01 * 0.5)).count();
        assertThat(low).isBetween(480L, 544L);
        Sample words = parse("samples = 2, layout = \"choice(nchw, channels-last)\"").draw().get(0);
        assertThat(words.words()).containsKey("layout");
        assertThat(words.numbers()).isEmpty();
    }

    /** Hickernell's centred L2 discrepancy: lower is more even. */
    private static double discrepancy(double[][] x) {
        int n = x.length;
        int d = x[0].length;
        double a = 0;
        double b = 0;
        for (double[] xi : x) {
            double p = 1;
            for (int k = 0; k < d; k++) {
                double z = Math.abs(xi[k] - 0.5);
                p *= 1 + 0.5 * z - 0.5 * z * z;
            }
            a += p;
            for (double[] xj : x) {
                double q = 1;
                for (int k = 0; k < d; k++) {
                    q *= 1 + 0.5 * Math.abs(xi[k] - 0.5) + 0.5 * Math.abs(xj[k] - 0.5) - 0.5 * Math.abs(xi[k] - xj[k]);
                }
                b += q;
            }
        }
        return Math.sqrt(Math.pow(13.0 / 12, d) - 2.0 / n * a + b / ((double) n * n));
    }

    @Test
    void sobolCoversTheCubeMoreEvenlyThanRandomPoints() {
        for (int seed = 0; seed < 5; seed++) {
            double sobol = discrepancy(new SobolSampler().points(256, 4, seed));
            double random = discrepancy(new RandomSampler().points(256, 4, seed));
            assertThat(sobol).as("seed %d: sobol %.4f, random %.4f", seed, sobol, random).isLessThan(random / 2);
        }
    }

    @Test
    void badBlocksAreRefusedNamingTheKey() {
        List<String> problems = new ArrayList<>();
        SearchSpace s = parse("samples = 0, sampler = halton, lr = \"lognormal(0, 1)\", strength = \"uniform(1, 1)\", "
                + "moco.temperature = \"loguniform(0, 0.5)\", knn.k = \"intrange(400, 50)\", widht = \"uniform(0.1, 1)\", "
                + "epochs = 10", problems);
        assertThat(s).isNull();
        String all = String.join("\n", problems);
        assertThat(all).contains("search.samples = 0").contains("search.sampler = 'halton'")
                .contains("search.lr = 'lognormal(0, 1)'").contains("'lognormal' is not a known distribution")
                .contains("search.strength = 'uniform(1, 1)' in job.conf: the range is empty")
                .contains("search.moco.temperature").contains("loguniform needs bounds above 0")
                .contains("search.knn.k = 'intrange(400, 50)'").contains("unknown key 'widht'")
                .contains("did you mean 'width'").contains("search.epochs = 10 in job.conf is not a distribution");
        List<String> none = new ArrayList<>();
        parse("samples = 8", none);
        assertThat(String.join("\n", none)).contains("samples no setting");
    }

    /** Four-digit rounding kept values inside their range, and wide integer ranges do not overflow. */
    @Test
    void drawnValuesStayInsideTheirRangesAfterRounding() {
        for (Sample sample : parse("samples = 256, sampler = random, lr = \"uniform(0.12344, 0.2)\", "
                + "strength = \"uniform(0.1, 0.99996)\", knn.k = \"intrange(-2000000000, 2000000000)\"").draw()) {
            assertThat((Double) sample.values().get("lr")).isBetween(0.12344, 0.2);
            assertThat((Double) sample.values().get("strength")).isBetween(0.1, 0.99996);
            assertThat((Integer) sample.values().get("knn.k")).isBetween(-2_000_000_000, 2_000_000_000);
        }
        // -2e9 + floor(0.999999 x 4,000,000,001): the old int arithmetic overflowed to a negative width
        assertThat(new Distribution.IntRange(-2_000_000_000, 2_000_000_000).at(0.999999)).isEqualTo(1_999_996_000);
        assertThat(new Distribution.Uniform(0.12344, 0.2).at(0)).isEqualTo(0.1235);
        assertThat(new Distribution.Uniform(0.1, 0.99996).at(0.999999)).isEqualTo(0.9999);
    }

    /** random merged 54 of 1,024 points that rounded alike into one trial; repeats are skipped, not merged. */
    @Test
    void pointsThatRoundAlikeAreReplacedAndTheFirstOnesStayTheSame() {
        List<Sample> many = parse("samples = 1024, sampler = random, seed = 1, lr = \"uniform(0.1, 0.9)\"").draw();
        assertThat(many.stream().map(Sample::values).distinct()).hasSize(1024);
        List<Sample> fewer = parse("samples = 100, sampler = random, seed = 1, lr = \"uniform(0.1, 0.9)\"").draw();
        assertThat(many.subList(0, 100)).isEqualTo(fewer); // a search extended later keeps its first points
        List<String> problems = new ArrayList<>();
        SearchSpace tooSmall = parse("samples = 5, epochs = \"intrange(1, 3)\"", problems);
        assertThatThrownBy(tooSmall::draw).hasMessageContaining("has only 3 distinct points")
                .hasMessageContaining("fewer than samples = 5");
    }

    @Test
    void aTpeSearchsOptionsAreChecked() {
        List<String> problems = new ArrayList<>();
        assertThat(parse("sampler = tpe, startup = 20, gamma = 1.5, lr = \"uniform(0.1, 0.2)\"", problems)).isNull();
        assertThat(String.join("\n", problems)).contains("search.samples is missing")
                .contains("search.gamma = 1.5 in job.conf must lie between 0 and 1");
        problems.clear();
        assertThat(parse("samples = 8, sampler = tpe, startup = 20, lr = \"uniform(0.1, 0.2)\"", problems)).isNull();
        assertThat(problems).singleElement().asString().contains("search.startup = 20 in job.conf is more than "
                + "samples = 8");
        problems.clear();
        assertThat(parse("samples = 8, sampler = sobol, startup = 4, lr = \"uniform(0.1, 0.2)\"", problems)).isNull();
        assertThat(problems).singleElement().asString().contains("search.startup in job.conf is an option of "
                + "sampler = tpe, not of sobol");
        problems.clear();
        assertThat(parse("samples = 16, sampler = tpe, multivariate = maybe, lr = \"uniform(0.1, 0.2)\"", problems))
                .isNull();
        assertThat(problems).singleElement().asString().contains("search.multivariate = maybe in job.conf must be "
                + "true or false");
        SearchSpace tpe = parse("samples = 8, sampler = tpe, startup = 3, lr = \"uniform(0.1, 0.2)\"");
        assertThat(tpe.adaptive()).isEqualTo(new SearchSpace.Adaptive(3, 24, 0.1, false));
        SearchSpace joint = parse("samples = 16, sampler = tpe, multivariate = true, lr = \"uniform(0.1, 0.2)\"");
        assertThat(joint.adaptive().multivariate()).isTrue();
        assertThat(joint.describe()).startsWith("16 tpe multivariate (after 10 sobol) samples");
        assertThat(tpe.describe()).startsWith("8 tpe (after 3 sobol) samples");
    }

    /** A search drew epochs = 2.767 and trained 2: what is recorded must be what trained. */
    @Test
    void aWholeNumberSettingIsDrawnByIntrangeOrAChoiceOfWholeNumbersOnly() {
        List<String> problems = new ArrayList<>();
        assertThat(parse("samples = 4, epochs = \"uniform(1, 3)\", knn.k = \"choice(10, 20.5)\", "
                + "batch-size = \"loguniform(64, 512)\"", problems)).isNull();
        assertThat(String.join("\n", problems))
                .contains("search.epochs = 'uniform(1, 3)' in job.conf draws fractions, but epochs is a whole number")
                .contains("use intrange(low, high) or choice(...) of whole numbers")
                .contains("search.knn.k = 'choice(10, 20.5)'").contains("search.batch-size = 'loguniform(64, 512)'");
        List<String> none = new ArrayList<>();
        SearchSpace ok = parse("samples = 4, epochs = \"intrange(1, 3)\", knn.k = \"choice(10, 20)\"", none);
        assertThat(none).isEmpty();
        assertThat(ok.draw()).allSatisfy(s -> assertThat(s.values().get("epochs")).isInstanceOf(Integer.class));
    }

    @Test
    void sampledSettingsKeepTheirCoordinateWhateverTheBlocksOrder() {
        List<Sample> a = parse("samples = 8, seed = 2, lr = \"uniform(0.1, 0.2)\", strength = \"uniform(0.1, 1.0)\"").draw();
        List<Sample> b = parse("samples = 8, strength = \"uniform(0.1, 1.0)\", seed = 2, lr = \"uniform(0.1, 0.2)\"").draw();
        assertThat(b).isEqualTo(a);
        assertThat(Set.copyOf(a.get(0).values().keySet())).containsExactlyInAnyOrder("lr", "strength");
    }
}
