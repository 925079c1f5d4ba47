package dev.augsweep.concentration;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.data.CifarSource;
import dev.augsweep.data.CifarSplit;
import dev.augsweep.storage.Storage;
import dev.augsweep.storage.StorePath;
import dev.augsweep.train.TrainedBackbone;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.function.Function;

/**
 * The executor side of the measure. A class's distances are kept in the results directory
 * (concentration/RECIPE/SETTING/classK.bin), so that a rerun, a retried task or the clique search reads them
 * instead of computing them again.
 */
public final class ConcentrationTask implements Function<ConcentrationUnit, ConcentrationOutcome> {
    private static final Map<String, TrainedBackbone> BACKBONES = new ConcurrentHashMap<>();
    private final StorePath dir;
    private final ConcentrationRecipe recipe;
    private final TrialConfig featureTrial;
    private final StorePath featureTrialDir;
    private final Map<String, String> storage;

    /**
     * @param dir          where distances are kept (on a cluster, a path every executor reaches)
     * @param featureTrial with space = features, the trial whose backbone embeds the views (else null)
     * @param storage      the Hadoop settings the results store is reached with (Storage.hadoopSettings)
     */
    public ConcentrationTask(StorePath dir, ConcentrationRecipe recipe, TrialConfig featureTrial,
                             StorePath featureTrialDir, Map<String, String> storage) {
        this.dir = dir;
        this.recipe = recipe;
        this.featureTrial = featureTrial;
        this.featureTrialDir = featureTrialDir;
        this.storage = Map.copyOf(storage);
    }

    @Override
    public ConcentrationOutcome call(ConcentrationUnit unit) {
        long t0 = System.nanoTime();
        Storage.configure(storage);
        StorePath file = dir.resolve(unit.setting().id()).resolve("class" + unit.clazz() + ".bin");
        if (unit instanceof ConcentrationUnit.Distances) {
            float[] d = Storage.isFile(file) ? read(file) : compute(unit, file);
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

    private float[] compute(ConcentrationUnit unit, StorePath file) {
        TrialConfig t = unit.setting().trial();
        CifarSplit train = CifarSource.load(t.runtime().data(), t.dataset(), t.runtime().download()).train();
        int[] images = ClassViews.firstOfClass(train, unit.clazz(), recipe.imagesPerClass());
        int v = recipe.views() + 1;
        float[] vectors = ClassViews.pixels(train, images, t.augmentation(), recipe.views(), recipe.seed());
        int dim = CifarSplit.IMAGE_BYTES;
        if (featureTrial != null) {
            vectors = BACKBONES.computeIfAbsent(featureTrial.id(),
                    id -> TrainedBackbone.load(featureTrial, featureTrialDir))
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

    static float[] read(StorePath file) {
        try {
            ByteBuffer b = ByteBuffer.wrap(Storage.read(file, InputStream::readAllBytes));
            float[] d = new float[b.remaining() / Float.BYTES];
            b.asFloatBuffer().get(d);
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Replaced whole (Storage.write): a retried task never reads half a file. */
    private static void write(StorePath file, float[] d) {
        try {
            ByteBuffer b = ByteBuffer.allocate(d.length * Float.BYTES);
            b.asFloatBuffer().put(d);
            Storage.write(file, out -> out.write(b.array()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
