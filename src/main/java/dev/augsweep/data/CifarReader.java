package dev.augsweep.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads CIFAR-10 in the official binary layout, from a {@code cifar-10-batches-bin} directory (or its parent)
 * or straight from {@code cifar-10-binary.tar.gz} without unpacking it.
 */
public final class CifarReader {
    static final List<String> TRAIN_FILES =
            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    static final String TEST_FILE = "test_batch.bin";
    static final String FOLDER = "cifar-10-batches-bin";

    private CifarReader() {
    }

    public static CifarData read(Path source) {
        if (Files.isDirectory(source)) {
            return readDirectory(source.resolve(FOLDER).toFile().isDirectory() ? source.resolve(FOLDER) : source);
        }
        if (!Files.isRegularFile(source)) {
            throw new CifarFormatException("CIFAR-10 not found at " + source + "; set data=<path to "
                    + "cifar-10-binary.tar.gz or a cifar-10-batches-bin directory>, or download=true to fetch it");
        }
        return readArchive(source);
    }

    private static CifarData readDirectory(Path dir) {
        Map<String, byte[]> files = new TreeMap<>();
        for (String name : allFiles()) {
            Path p = dir.resolve(name);
            if (!Files.isRegularFile(p)) {
                throw new CifarFormatException(dir + " has no " + name + "; expected the CIFAR-10 binary version "
                        + "(data_batch_1..5.bin and test_batch.bin)");
            }
            try {
                files.put(name, Files.readAllBytes(p));
            } catch (IOException e) {
                throw new CifarFormatException("cannot read " + p + ": " + e.getMessage(), e);
            }
        }
        return assemble(dir.toString(), files);
    }

    private static CifarData readArchive(Path archive) {
        Map<String, byte[]> files = new TreeMap<>();
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive), 1 << 20), 1 << 16)) {
            TarEntries.read(in, archive.toString(),
                    name -> name.contains(FOLDER + "/") && allFiles().contains(baseName(name)),
                    (name, content) -> files.put(baseName(name), content));
        } catch (ZipException e) {
            throw new CifarFormatException(archive + " is not a gzip file (" + e.getMessage()
                    + "); expected cifar-10-binary.tar.gz, the CIFAR-10 binary version", e);
        } catch (EOFException e) {
            throw new CifarFormatException(archive + " is truncated (" + e.getMessage()
                    + "); download it again", e);
        } catch (IOException e) {
            throw new CifarFormatException("cannot read " + archive + ": " + e.getMessage(), e);
        }
        for (String name : allFiles()) {
            if (!files.containsKey(name)) {
                throw new CifarFormatException(archive + " has no " + FOLDER + "/" + name
                        + "; expected cifar-10-binary.tar.gz (the CIFAR-10 binary version, not the python or matlab one)");
            }
        }
        return assemble(archive.toString(), files);
    }

    private static CifarData assemble(String where, Map<String, byte[]> files) {
        CifarRecords train = new CifarRecords();
        for (String name : TRAIN_FILES) {
            train.add(where + "/" + name, files.get(name));
        }
        CifarRecords test = new CifarRecords();
        test.add(where + "/" + TEST_FILE, files.get(TEST_FILE));
        return new CifarData(train.build(), test.build());
    }

    private static List<String> allFiles() {
        List<String> all = new ArrayList<>(TRAIN_FILES);
        all.add(TEST_FILE);
        return all;
    }

    private static String baseName(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }
}
