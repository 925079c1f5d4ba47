package dev.augsweep.concentration;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * How augsweep estimates the paper's (sigma, delta)-measure of an augmentation (its Definition 1), every choice a
 * key under {@code concentration} in conf/defaults.conf (the paper's own recipe is in an appendix we could not
 * read):
 * <ol>
 *   <li>per class, the first {@code images-per-class} training images, each seen as itself (x is in A(x)) and as
 *       {@code views} views drawn with the setting's augmentation (seeded by {@code seed}, image and view);</li>
 *   <li>in the space of normalised pixels (the paper's d_A is in input space), or, with {@code space = features},
 *       the L2-normalised backbone features of the finished trial {@code features-of};</li>
 *   <li>d_A(x_i, x_j) = min over both images' views of ||v_i - v_j||, as blocked matrix products;</li>
 *   <li>sigma_k(delta) = the largest share of class k whose pairwise d_A are all at most delta (a maximum clique,
 *       exact within {@code max-clique-nodes} search nodes, else a lower bound, and the row says so); sigma(delta)
 *       = the minimum over classes, the mean beside it;</li>
 *   <li>delta at the {@code delta-quantiles} of every setting's pooled d_A, so that rows of a run compare.</li>
 * </ol>
 */
public record ConcentrationRecipe(int imagesPerClass, int views, String space, String featuresOf,
                                  List<Double> deltaQuantiles, long seed, long maxCliqueNodes, int block)
        implements Serializable {

    public static ConcentrationRecipe parse(Config c, List<String> problems) {
        Config r = c.getConfig("concentration");
        int images = positive(r, "images-per-class", problems);
        int views = positive(r, "views", problems);
        String space = r.getString("space");
        if (!space.equals("pixels") && !space.equals("features")) {
            problems.add("concentration.space = '" + space + "' is unknown; expected pixels or features");
        }
        String featuresOf = r.getString("features-of");
        if (space.equals("features") && featuresOf.isBlank()) {
            problems.add("concentration.space = features needs concentration.features-of = <id of a finished "
                    + "trial of this job>, whose backbone embeds the views");
        }
        List<Double> quantiles;
        try {
            quantiles = r.getDoubleList("delta-quantiles");
        } catch (ConfigException e) {
            problems.add("concentration.delta-quantiles must be a list of numbers in (0, 1), e.g. [0.1, 0.25, 0.5]");
            quantiles = List.of(0.5);
        }
        if (quantiles.isEmpty() || quantiles.stream().anyMatch(q -> !(q > 0 && q < 1))) {
            problems.add("concentration.delta-quantiles = " + quantiles + " must be numbers in (0, 1)");
        }
        return new ConcentrationRecipe(images, views, space, featuresOf, List.copyOf(quantiles),
                r.getLong("seed"), Math.max(1, r.getLong("max-clique-nodes")), positive(r, "block", problems));
    }

    /** Identifies what a measured row depends on (with the settings measured together, which share the deltas). */
    public String key(List<String> settings) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((this + "|" + settings).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int positive(Config r, String key, List<String> problems) {
        int v = r.getInt(key);
        if (v <= 0) {
            problems.add("concentration." + key + " = " + v + " must be positive");
        }
        return Math.max(1, v);
    }
}
