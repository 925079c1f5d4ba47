package dev.augsweep.concentration;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.data.CifarSource;
import dev.augsweep.data.CifarSplit;
import dev.augsweep.train.TrainedBackbone;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.function.Function;

/**
 * The executor side of the measure. A class's distances are kept in the results directory
 * (concentration/RECIPE/SETTING/classK.bin), so that a rerun, a retried task or the clique search reads them
 * instead of computing them again.
 */
public final class ConcentrationTask implements Function<ConcentrationUnit, ConcentrationOutcome> {
    private static final Map<String, TrainedBackbone> BACKBONES = new ConcurrentHashMap<>();
    private final String dir;
    private final ConcentrationRecipe recipe;
    private final TrialConfig featureTrial;
    private final String featureTrialDir;

    /**
     * @param dir          where distances are kept (on a cluster, a path every executor reaches)
     * @param featureTrial with space = features, the trial whose backbone embeds the views (else null)
     */
    public ConcentrationTask(Path dir, ConcentrationRecipe recipe, TrialConfig featureTrial, Path featureTrialDir) {
        this.dir = dir.toString();
        this.recipe = recipe;
        this.featureTrial = featureTrial;
        this.featureTrialDir = featureTrialDir == null ? null : featureTrialDir.toString();
    }

    @Override
    public ConcentrationOutcome call(ConcentrationUnit unit) {
        long t0 = System.nanoTime();
        Path file = Path.of(dir).resolve(unit.setting().id()).resolve("class" + unit.clazz() + ".bin");
        if (unit instanceof ConcentrationUnit.Distances) {
            float[] d = Files.isRegularFile(file) ? read(file) : compute(unit, file);
            return new ConcentrationOutcome(d, (int) Math.round(Math.sqrt(d.length)), null, null,
                    (System.nanoTime() - t0) / 1e9, null);
        }
        double[] deltas = ((ConcentrationUnit.Cliques) unit).deltas();
        float[] d = read(file);
        int n = (int) Math.round(Math.sqrt(d.length));
        double[] sigma = new double[deltas.length];
        boolean[] exact = new boolean[deltas.length];
        for (int k = 0; k < deltas.length; k++) {
            MaxClique.Result r = MaxClique.of(d, n, deltas[k], recipe.maxCliqueNodes());
            sigma[k] = n == 0 ? 0 : r.size() / (double) n;
            exact[k] = r.exact();
        }
        return new ConcentrationOutcome(null, n, sigma, exact, (System.nanoTime() - t0) / 1e9, null);
    }

    private float[] compute(ConcentrationUnit unit, Path file) {
        TrialConfig t = unit.setting().trial();
        CifarSplit train = CifarSource.load(t.runtime().data(), t.dataset(), t.runtime().download()).train();
        int[] images = ClassViews.firstOfClass(train, unit.clazz(), recipe.imagesPerClass());
        int v = recipe.views() + 1;
        float[] vectors = ClassViews.pixels(train, images, t.augmentation(), recipe.views(), recipe.seed());
        int dim = CifarSplit.IMAGE_BYTES;
        if (featureTrial != null) {
            vectors = BACKBONES.computeIfAbsent(featureTrial.id(),
                    id -> TrainedBackbone.load(featureTrial, Path.of(featureTrialDir)))
                    .features(vectors, images.length * v);
            dim = images.length == 0 ? 1 : vectors.length / (images.length * v);
        }
        float[] distances;
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            distances = AugmentedDistances.compute(m, vectors, images.length, v, dim, recipe.block());
        }
        write(file, distances);
        return distances;
    }

    static float[] read(Path file) {
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
            float[] d = new float[b.remaining() / Float.BYTES];
            b.asFloatBuffer().get(d);
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Under a unique temporary name, then renamed: a retried task never reads half a file. */
    private static void write(Path file, float[] d) {
        try {
            Files.createDirectories(file.getParent());
            ByteBuffer b = ByteBuffer.allocate(d.length * Float.BYTES);
            b.asFloatBuffer().put(d);
            Path tmp = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
            Files.write(tmp, b.array());
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
