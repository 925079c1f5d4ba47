package dev.augsweep.report;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.common.tree.Node;
import org.tribuo.common.tree.SplitNode;
import org.tribuo.dataset.DatasetView;
import org.tribuo.ensemble.BaggingTrainer;
import org.tribuo.ensemble.EnsembleModel;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.la.SparseVector;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.ensemble.AveragingCombiner;
import org.tribuo.regression.rtree.CARTRegressionTrainer;
import org.tribuo.regression.rtree.IndependentRegressionTreeModel;
import org.tribuo.regression.rtree.impurity.MeanSquaredError;

/**
 * Each sampled setting's importance for the score: the mean decrease in impurity (MDI) over a random forest
 * regressor of the score on the settings, as Optuna's {@code MeanDecreaseImpurityImportanceEvaluator} computes it
 * (scikit-learn's {@code RandomForestRegressor.feature_importances_}). Unlike a rank correlation it sees effects that
 * are not monotone (an lr whose optimum lies mid-range) and covers {@code choice} settings.
 *
 * <p>The forest is Tribuo's (Apache-2.0): a {@link BaggingTrainer} over {@link CARTRegressionTrainer} trees with
 * every feature tried at every split, which is what scikit-learn's {@code RandomForestRegressor} does with its
 * default {@code max_features=1.0} (Optuna 3.1 keeps that default), with Optuna's {@value #TREES} trees, maximum
 * depth {@value #MAX_DEPTH}, {@code min_samples_split=2}, {@code min_samples_leaf=1}. Tribuo does not report impurity
 * decreases, so they are read off its trees: each tree's own bootstrap sample (recorded as the bagging trainer draws
 * it) is routed through the tree with {@link Node#getNextNode}, and each split node adds
 * {@code n·var(node) − n_left·var(left) − n_right·var(right)} to its feature; a tree's decreases are normalised to sum
 * 1, averaged over the trees that split at all, and normalised again (scikit-learn's rule).
 *
 * <p>Encoding as Optuna's: a {@code choice} (any setting with a non-numeric value) is one-hot encoded, one column per
 * observed value, and its columns' importances are summed back into the setting. A log-scale setting is put on
 * log10; a tree's partitions depend only on the order of values, so this changes the split values, not the
 * importances (Optuna's MDI and fANOVA evaluators both use {@code transform_log=False}).
 *
 * <p>Deterministic for a seed: the points are put in a canonical order first (score, then their values), so the
 * result does not depend on the order in which they arrive. Points that lack a setting or whose score is not finite
 * are dropped, as Optuna drops them; a caller that wants a failed cell counted should pass it with the worst score.
 * Above {@value #MAX_POINTS} points a seeded random subset of that size is used: Tribuo's CART scores each candidate
 * split point by a pass over the node, so a tree costs about n² operations (about 1 s of one core for the whole
 * forest at 1,000 points, 4 s at 2,000, some 100 s at 10,000); {@link Result#pointsUsed()} says when it was.
 */
public final class SettingImportance {
    /** Optuna's defaults for its MDI (and fANOVA) evaluator. */
    public static final int TREES = 64;
    public static final int MAX_DEPTH = 64;
    /** Largest number of points the forest is fitted on; beyond it a seeded subset. */
    public static final int MAX_POINTS = 1_000;

    /** BaggingTrainer logs one INFO line per tree; held here so that java.util.logging keeps the level. */
    private static final Logger BAGGING_LOG = Logger.getLogger(BaggingTrainer.class.getName());

    static {
        BAGGING_LOG.setLevel(Level.WARNING);
    }

    /** One evaluated configuration: setting → value (a {@link Number}, or a String for a choice), and its score. */
    public record Point(Map<String, Object> settings, double score) {
    }

    /**
     * @param importance per setting, in the order given, summing to 1; all 0 when the score is constant (nothing to
     *                   explain), all NaN with fewer than 2 usable points
     * @param pointsUsed the points the forest was fitted on (below {@code pointsGiven} when some were dropped or the
     *                   input was subsampled)
     */
    public record Result(Map<String, Double> importance, int pointsUsed, int pointsGiven) {
    }

    private SettingImportance() {
    }

    /**
     * @param points   the evaluated configurations
     * @param logScale every setting to assess, in the order wanted, mapped to whether it is sampled on a log scale
     * @param seed     the forest's seed (and the subset's, above {@value #MAX_POINTS} points)
     */
    public static Result of(List<Point> points, Map<String, Boolean> logScale, long seed) {
        List<String> names = new ArrayList<>(logScale.keySet());
        List<Point> usable = new ArrayList<>();
        for (Point p : points) {
            if (Double.isFinite(p.score()) && names.stream().allMatch(n -> p.settings().get(n) != null)) {
                usable.add(p);
            }
        }
        usable.sort(canonical(names));
        if (usable.size() > MAX_POINTS) {
            usable = subset(usable, MAX_POINTS, seed);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        if (usable.size() < 2) {
            names.forEach(n -> out.put(n, Double.NaN));
            return new Result(out, usable.size(), points.size());
        }

        // Columns: one per numeric setting, one per observed value of a choice.
        List<String> columnSetting = new ArrayList<>();
        List<Object> columnValue = new ArrayList<>(); // null for a numeric column
        for (String n : names) {
            boolean choice = usable.stream().anyMatch(p -> !(p.settings().get(n) instanceof Number));
            if (choice) {
                TreeSet<String> values = new TreeSet<>();
                usable.forEach(p -> values.add(String.valueOf(p.settings().get(n))));
                for (String v : values) {
                    columnSetting.add(n);
                    columnValue.add(v);
                }
            } else {
                columnSetting.add(n);
                columnValue.add(null);
            }
        }
        int columns = columnSetting.size();
        String[] featureNames = new String[columns];
        for (int c = 0; c < columns; c++) {
            featureNames[c] = String.format("c%05d", c);
        }

        double[] y = usable.stream().mapToDouble(Point::score).toArray();
        double mean = Arrays.stream(y).average().orElse(0);
        double sd = Math.sqrt(Arrays.stream(y).map(v -> (v - mean) * (v - mean)).sum() / y.length);
        if (!(sd > 0)) {
            names.forEach(n -> out.put(n, 0.0));
            return new Result(out, usable.size(), points.size());
        }
        // Standardised: Tribuo keeps targets as float and sums squares in float; centring keeps that accurate.
        RegressionFactory factory = new RegressionFactory();
        MutableDataset<Regressor> data = new MutableDataset<>(
                new SimpleDataSourceProvenance("augsweep setting importance", factory), factory);
        for (int i = 0; i < usable.size(); i++) {
            Map<String, Object> s = usable.get(i).settings();
            double[] x = new double[columns];
            for (int c = 0; c < columns; c++) {
                Object v = s.get(columnSetting.get(c));
                if (columnValue.get(c) != null) {
                    x[c] = columnValue.get(c).equals(String.valueOf(v)) ? 1 : 0;
                } else {
                    double d = ((Number) v).doubleValue();
                    if (logScale.get(columnSetting.get(c))) {
                        if (!(d > 0)) {
                            throw new IllegalArgumentException("setting '" + columnSetting.get(c)
                                    + "' is log-scale but has the value " + v + " (must be > 0)");
                        }
                        d = Math.log10(d);
                    }
                    x[c] = d;
                }
            }
            data.add(new ArrayExample<>(new Regressor("score", (y[i] - mean) / sd), featureNames, x));
        }

        CARTRegressionTrainer tree = new CARTRegressionTrainer(MAX_DEPTH, 2f, 0f, 1f, false,
                new MeanSquaredError(), seed);
        RecordingBagging forest = new RecordingBagging(tree, TREES, seed);
        EnsembleModel<Regressor> model = forest.train(data);

        ImmutableFeatureMap featureMap = data.getFeatureIDMap();
        int[] columnOfFeature = new int[featureMap.size()];
        for (int id = 0; id < featureMap.size(); id++) {
            columnOfFeature[id] = Integer.parseInt(featureMap.get(id).getName().substring(1));
        }
        SparseVector[] rows = new SparseVector[data.size()];
        double[] target = new double[data.size()];
        for (int i = 0; i < data.size(); i++) {
            Example<Regressor> e = data.getExample(i);
            rows[i] = SparseVector.createSparseVector(e, featureMap, false);
            target[i] = e.getOutput().getValues()[0];
        }

        double[] total = new double[columns];
        int splitting = 0;
        List<Model<Regressor>> trees = model.getModels();
        for (int t = 0; t < trees.size(); t++) {
            Node<Regressor> root = ((IndependentRegressionTreeModel) trees.get(t)).getRoots().values().iterator().next();
            if (root.isLeaf()) {
                continue; // scikit-learn leaves trees without a split out of the mean
            }
            double[] perTree = decreases(root, forest.bags.get(t), rows, target, featureMap.size());
            double sum = Arrays.stream(perTree).sum();
            splitting++;
            for (int f = 0; f < perTree.length; f++) {
                total[columnOfFeature[f]] += sum > 0 ? perTree[f] / sum : 0;
            }
        }
        double grand = Arrays.stream(total).sum();
        names.forEach(n -> out.put(n, 0.0));
        if (splitting > 0 && grand > 0) {
            for (int c = 0; c < columns; c++) {
                out.merge(columnSetting.get(c), total[c] / grand, Double::sum);
            }
        }
        return new Result(out, usable.size(), points.size());
    }

    /** Per feature id: the sum over the tree's split nodes of n·var(node) − n·var(left) − n·var(right). */
    private static double[] decreases(Node<Regressor> root, int[] bag, SparseVector[] rows, double[] target,
                                      int features) {
        // n, Σy, Σy² of the tree's own training sample (its bootstrap, with repeats) at each node
        Map<Node<Regressor>, double[]> stats = new IdentityHashMap<>();
        for (int i : bag) {
            double v = target[i];
            Node<Regressor> node = root;
            while (true) {
                double[] s = stats.computeIfAbsent(node, k -> new double[3]);
                s[0]++;
                s[1] += v;
                s[2] += v * v;
                if (node.isLeaf()) {
                    break;
                }
                node = node.getNextNode(rows[i]);
            }
        }
        double[] out = new double[features];
        List<Node<Regressor>> stack = new ArrayList<>(Collections.singletonList(root));
        while (!stack.isEmpty()) {
            Node<Regressor> node = stack.remove(stack.size() - 1);
            if (node.isLeaf()) {
                continue;
            }
            SplitNode<Regressor> split = (SplitNode<Regressor>) node;
            out[split.getFeatureID()] += weightedVariance(stats.get(node))
                    - weightedVariance(stats.get(split.getLessThanOrEqual()))
                    - weightedVariance(stats.get(split.getGreaterThan()));
            stack.add(split.getLessThanOrEqual());
            stack.add(split.getGreaterThan());
        }
        return out;
    }

    /** n · variance = Σy² − (Σy)²/n; 0 for a node no training point reached. */
    private static double weightedVariance(double[] s) {
        return s == null || s[0] == 0 ? 0 : Math.max(0, s[2] - s[1] * s[1] / s[0]);
    }

    private static Comparator<Point> canonical(List<String> names) {
        Comparator<Point> c = Comparator.comparingDouble(Point::score);
        for (String n : names) {
            c = c.thenComparing(p -> p.settings().get(n), SettingImportance::compareValues);
        }
        return c;
    }

    private static int compareValues(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number z) {
            return Double.compare(x.doubleValue(), z.doubleValue());
        }
        return String.valueOf(a).compareTo(String.valueOf(b));
    }

    /** A seeded subset of {@code size} points, kept in their (canonical) order. */
    private static List<Point> subset(List<Point> points, int size, long seed) {
        int[] index = new int[points.size()];
        Arrays.setAll(index, i -> i);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < size; i++) {
            int j = i + random.nextInt(index.length - i);
            int tmp = index[i];
            index[i] = index[j];
            index[j] = tmp;
        }
        int[] chosen = Arrays.copyOf(index, size);
        Arrays.sort(chosen);
        List<Point> out = new ArrayList<>(size);
        for (int i : chosen) {
            out.add(points.get(i));
        }
        return out;
    }

    /**
     * Tribuo's bagging trainer, unchanged but for keeping each member's bootstrap sample: the same view
     * ({@link DatasetView#createBootstrapView}) and the same inner training call as
     * {@link BaggingTrainer#trainSingleModel}; members are trained one after another, in order.
     */
    private static final class RecordingBagging extends BaggingTrainer<Regressor> {
        final List<int[]> bags = new ArrayList<>();

        RecordingBagging(Trainer<Regressor> tree, int members, long seed) {
            super(tree, new AveragingCombiner(), members, seed);
        }

        @Override
        protected Model<Regressor> trainSingleModel(Dataset<Regressor> examples, ImmutableFeatureMap featureIDs,
                                                    ImmutableOutputInfo<Regressor> labelIDs, int randInt,
                                                    Map<String, Provenance> runProvenance,
                                                    int invocationCount) {
            DatasetView<Regressor> bag = DatasetView.createBootstrapView(examples, examples.size(), randInt,
                    featureIDs, labelIDs);
            bags.add(bag.getExampleIndices());
            return innerTrainer.train(bag, runProvenance, invocationCount);
        }
    }
}
