package dev.augsweep.testing;

import dev.augsweep.data.CifarSplit;
import dev.augsweep.data.Dataset;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Small CIFAR archives in the exact official layout (a gzipped ustar archive holding the dataset's folder and batch
 * files), for datasets too large to ship: records carry random pixels with a per-class tint, so that a network
 * can learn something from them.
 */
public final class CifarArchives {
    private CifarArchives() {
    }

    /** {@code perClassTrain} and {@code perClassTest} images of every class, labels in order, in one archive. */
    public static Path write(Path file, Dataset dataset, int perClassTrain, int perClassTest, long seed)
            throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        int perTrainFile = perClassTrain * dataset.classes() / dataset.trainFiles().size();
        for (String name : dataset.trainFiles()) {
            entries.put(dataset.folder() + "/" + name, records(dataset, perTrainFile, rng));
        }
        entries.put(dataset.folder() + "/" + dataset.testFile(), records(dataset, perClassTest * dataset.classes(), rng));
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.write(header(e.getKey(), e.getValue().length));
                out.write(e.getValue());
                out.write(new byte[(512 - e.getValue().length % 512) % 512]);
            }
            out.write(new byte[1024]);
        }
        return file;
    }

    /** Records of the dataset's layout (CIFAR-100: coarse label = fine / 5, then the fine label), classes in turn. */
    public static byte[] records(Dataset dataset, int n, SplittableRandom rng) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            int label = i % dataset.classes();
            if (dataset.labelBytes() == 2) {
                b.write(label / 5);
            }
            b.write(label);
            for (int c = 0; c < 3; c++) {
                int tint = (label * (37 + 61 * c)) % 256;
                for (int p = 0; p < CifarSplit.PLANE; p++) {
                    b.write((tint + rng.nextInt(64)) % 256);
                }
            }
        }
        return b.toByteArray();
    }

    private static byte[] header(String name, long size) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", size));
        put(h, 136, "00000000000");
        h[156] = '0';
        put(h, 257, "ustar");
        put(h, 263, "00");
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte x : h) {
            sum += x & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        return h;
    }

    private static void put(byte[] h, int at, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, h, at, bytes.length);
    }
}
