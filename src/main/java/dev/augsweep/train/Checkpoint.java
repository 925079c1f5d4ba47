package dev.augsweep.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.augsweep.model.MemoryLayout;
import dev.augsweep.storage.Storage;
import dev.augsweep.storage.StorePath;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trial's whole training state after an epoch: every array (weights, running statistics, momentum, MoCo's
 * queue), counters, and the metrics so far. Written to a temporary file and renamed, so a crash mid-write leaves
 * the previous checkpoint intact. The random streams need no saving: they derive from (seed, epoch, image).
 */
public record Checkpoint(String trialId, int epochsDone, double sgdLearningRate, int threads, MemoryLayout layout,
                         Map<String, Long> counters, List<EpochMetrics> metrics, Map<String, float[]> arrays,
                         Map<String, long[]> shapes) {
    public static final String FILE = "checkpoint.bin";
    private static final String MAGIC = "augsweep-checkpoint";
    // 2: the thread count and memory layout the trial trains with; 3: where each epoch ran (RanOn). Version 2 is
    // still read (its epochs' RanOn unrecorded): a sweep running when augsweep is updated resumes its trials.
    private static final int VERSION = 3;
    private static final int OLDEST_READ = 2;

    /** Thrown when a checkpoint cannot be used; the trial then starts over (and says so). */
    public static final class Unusable extends Exception {
        public Unusable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static Checkpoint capture(String trialId, int epochsDone, double sgdLearningRate, int threads,
                                     MemoryLayout layout, Map<String, Long> counters, List<EpochMetrics> metrics,
                                     Map<String, NDArray> live) {
        Map<String, float[]> arrays = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        live.forEach((name, array) -> {
            arrays.put(name, array.toFloatArray());
            shapes.put(name, array.getShape().getShape());
        });
        return new Checkpoint(trialId, epochsDone, sgdLearningRate, threads, layout, Map.copyOf(counters),
                List.copyOf(metrics), arrays, shapes);
    }

    /** Replaced whole (Storage.write): two attempts of one trial at once never leave a mix of both. */
    public void write(StorePath dir) throws IOException {
        Storage.write(dir.resolve(FILE), stream -> {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream, 1 << 20));
            out.writeUTF(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(trialId);
            out.writeInt(epochsDone);
            out.writeDouble(sgdLearningRate);
            out.writeInt(threads);
            out.writeUTF(layout.name());
            out.writeInt(counters.size());
            for (Map.Entry<String, Long> c : counters.entrySet()) {
                out.writeUTF(c.getKey());
                out.writeLong(c.getValue());
            }
            out.writeInt(metrics.size());
            for (EpochMetrics m : metrics) {
                out.writeInt(m.epoch());
                out.writeDouble(m.loss());
                out.writeDouble(m.knnTop1() == null ? Double.NaN : m.knnTop1());
                out.writeDouble(m.lr());
                out.writeDouble(m.trainSeconds());
                out.writeDouble(m.evalSeconds());
                out.writeDouble(m.imagesPerSecond());
                out.writeBoolean(m.resumed());
                writeNullable(out, m.ranOn().cpuModel());
                writeNullable(out, m.ranOn().kernels());
            }
            out.writeInt(arrays.size());
            for (Map.Entry<String, float[]> a : arrays.entrySet()) {
                out.writeUTF(a.getKey());
                long[] shape = shapes.get(a.getKey());
                out.writeInt(shape.length);
                for (long d : shape) {
                    out.writeLong(d);
                }
                float[] values = a.getValue();
                out.writeInt(values.length);
                out.write(bigEndian(values).array()); // the bytes DataOutput.writeFloat would write, in one call
            }
            out.writeUTF(MAGIC);
            out.flush();
        });
    }

    public static boolean exists(StorePath dir) {
        return Storage.isFile(dir.resolve(FILE));
    }

    /**
     * The epochs a trial's checkpoint holds, read from its first bytes (cheap enough to ask of every running trial
     * for a progress line); 0 without a readable checkpoint.
     */
    public static int epochsDone(StorePath dir) {
        Header h = header(dir);
        return h == null ? 0 : h.epochsDone();
    }

    /** Whose checkpoint it is and how far it got, from its first bytes. */
    public record Header(String trialId, int epochsDone) {
    }

    /** The checkpoint's header; null without a readable checkpoint. */
    public static Header header(StorePath dir) {
        StorePath file = dir.resolve(FILE);
        if (!Storage.isFile(file)) {
            return null;
        }
        try {
            return Storage.read(file, stream -> {
                DataInputStream in = new DataInputStream(new BufferedInputStream(stream, 512));
                if (!in.readUTF().equals(MAGIC) || !readable(in.readInt())) {
                    return null;
                }
                return new Header(in.readUTF(), in.readInt());
            });
        } catch (IOException e) {
            return null; // being replaced at this moment, or damaged: the next read asks again
        }
    }

    public static Checkpoint read(StorePath dir) throws Unusable {
        StorePath file = dir.resolve(FILE);
        try {
            return Storage.read(file, stream -> parse(new DataInputStream(new BufferedInputStream(stream, 1 << 20)),
                    file));
        } catch (IOException | RuntimeException e) {
            throw new Unusable(file + " is unreadable (" + e + ")", e);
        }
    }

    private static Checkpoint parse(DataInputStream in, StorePath file) throws IOException {
        expect(in.readUTF().equals(MAGIC), file, "not an augsweep checkpoint");
        int version = in.readInt();
        expect(readable(version), file, "written by checkpoint format " + version + ", this build reads "
                + OLDEST_READ + " to " + VERSION);
        String id = in.readUTF();
        int epochs = in.readInt();
        double lr = in.readDouble();
        int threads = in.readInt();
        MemoryLayout layout = MemoryLayout.valueOf(in.readUTF());
        Map<String, Long> counters = new LinkedHashMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            counters.put(in.readUTF(), in.readLong());
        }
        List<EpochMetrics> metrics = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            int epoch = in.readInt();
            double loss = in.readDouble();
            double knn = in.readDouble();
            double epochLr = in.readDouble();
            double train = in.readDouble();
            double eval = in.readDouble();
            double speed = in.readDouble();
            boolean resumed = in.readBoolean();
            RanOn ranOn = version >= 3 ? new RanOn(readNullable(in), readNullable(in)) : RanOn.UNRECORDED;
            metrics.add(new EpochMetrics(epoch, loss, Double.isNaN(knn) ? null : knn, epochLr, train, eval, speed,
                    resumed, ranOn));
        }
        Map<String, float[]> arrays = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            String name = in.readUTF();
            long[] shape = new long[in.readInt()];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = in.readLong();
            }
            byte[] bytes = new byte[Math.multiplyExact(in.readInt(), Float.BYTES)];
            in.readFully(bytes);
            float[] values = new float[bytes.length / Float.BYTES];
            ByteBuffer.wrap(bytes).asFloatBuffer().get(values);
            arrays.put(name, values);
            shapes.put(name, shape);
        }
        expect(in.readUTF().equals(MAGIC), file, "missing end marker");
        return new Checkpoint(id, epochs, lr, threads, layout, counters, metrics, arrays, shapes);
    }

    public void checkTrial(String expectedTrialId) throws Unusable {
        if (!trialId.equals(expectedTrialId)) {
            throw new Unusable("checkpoint belongs to trial " + trialId + ", not " + expectedTrialId, null);
        }
    }

    /** Copies the saved values into the live arrays, after checking names and shapes all match. */
    public void restoreInto(Map<String, NDArray> live) throws Unusable {
        for (Map.Entry<String, NDArray> e : live.entrySet()) {
            float[] values = arrays.get(e.getKey());
            if (values == null || !new Shape(shapes.get(e.getKey())).equals(e.getValue().getShape())) {
                throw new Unusable("checkpoint has no array " + e.getKey() + " of shape " + e.getValue().getShape(),
                        null);
            }
        }
        live.forEach((name, array) -> array.set(arrays.get(name)));
    }

    private static boolean readable(int version) {
        return version >= OLDEST_READ && version <= VERSION;
    }

    private static void writeNullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static ByteBuffer bigEndian(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES);
        bytes.asFloatBuffer().put(values);
        return bytes;
    }

    private static void expect(boolean ok, StorePath file, String problem) throws IOException {
        if (!ok) {
            throw new IOException(file + ": " + problem);
        }
    }
}
