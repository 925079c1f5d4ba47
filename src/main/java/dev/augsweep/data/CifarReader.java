package dev.augsweep.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads CIFAR-10 or CIFAR-100 in the official binary layout, from the batch folder ({@code cifar-10-batches-bin},
 * {@code cifar-100-binary}) or its parent, or straight from the official {@code .tar.gz} without unpacking it.
 */
public final class CifarReader {
    private CifarReader() {
    }

    public static CifarData read(Path source, Dataset dataset) {
        if (Files.isDirectory(source)) {
            Path folder = source.resolve(dataset.folder());
            return readDirectory(Files.isDirectory(folder) ? folder : source, dataset);
        }
        if (!Files.isRegularFile(source)) {
            throw new CifarFormatException(dataset.key() + " not found at " + source + "; set data=<path to "
                    + dataset.archiveName() + " or a " + dataset.folder() + " directory>, or download=true to fetch it");
        }
        return readArchive(source, dataset);
    }

    private static CifarData readDirectory(Path dir, Dataset dataset) {
        Map<String, byte[]> files = new TreeMap<>();
        for (String name : allFiles(dataset)) {
            Path p = dir.resolve(name);
            if (!Files.isRegularFile(p)) {
                throw new CifarFormatException(dir + " has no " + name + "; expected the " + dataset.key()
                        + " binary version (" + String.join(", ", allFiles(dataset)) + ")");
            }
            try {
                files.put(name, Files.readAllBytes(p));
            } catch (IOException e) {
                throw new CifarFormatException("cannot read " + p + ": " + e.getMessage(), e);
            }
        }
        return assemble(dir.toString(), files, dataset);
    }

    private static CifarData readArchive(Path archive, Dataset dataset) {
        Map<String, byte[]> files = new TreeMap<>();
        List<String> wanted = allFiles(dataset);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(
                new BufferedInputStream(Files.newInputStream(archive), 1 << 20), 1 << 16))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                String name = entry.getName();
                if (!entry.isFile() || !name.contains(dataset.folder() + "/") || !wanted.contains(baseName(name))) {
                    continue;
                }
                if (entry.getSize() > Integer.MAX_VALUE) {
                    throw new CifarFormatException(archive + ": entry " + name + " is too large (" + entry.getSize()
                            + " bytes)");
                }
                byte[] content = tar.readNBytes((int) entry.getSize());
                if (content.length < entry.getSize()) {
                    throw new EOFException("inside entry " + name + ", " + content.length + " of " + entry.getSize()
                            + " bytes");
                }
                files.put(baseName(name), content);
            }
        } catch (ZipException e) {
            throw new CifarFormatException(archive + " is not a gzip file (" + e.getMessage()
                    + "); expected " + dataset.archiveName() + ", the " + dataset.key() + " binary version", e);
        } catch (EOFException e) {
            throw new CifarFormatException(archive + " is truncated (" + e.getMessage()
                    + "); download it again", e);
        } catch (IOException e) {
            throw new CifarFormatException("cannot read " + archive + " (" + e.getMessage() + "); expected "
                    + dataset.archiveName() + ", a gzipped tar", e);
        }
        for (String name : wanted) {
            if (!files.containsKey(name)) {
                throw new CifarFormatException(archive + " has no " + dataset.folder() + "/" + name + "; expected "
                        + dataset.archiveName() + " (the binary version, not the python or matlab one)"
                        + (dataset == Dataset.CIFAR10 ? "; for CIFAR-100 set dataset=cifar100" : ""));
            }
        }
        return assemble(archive.toString(), files, dataset);
    }

    private static CifarData assemble(String where, Map<String, byte[]> files, Dataset dataset) {
        CifarRecords train = new CifarRecords(dataset);
        for (String name : dataset.trainFiles()) {
            train.add(where + "/" + name, files.get(name));
        }
        CifarRecords test = new CifarRecords(dataset);
        test.add(where + "/" + dataset.testFile(), files.get(dataset.testFile()));
        return new CifarData(train.build(), test.build());
    }

    private static List<String> allFiles(Dataset dataset) {
        List<String> all = new ArrayList<>(dataset.trainFiles());
        all.add(dataset.testFile());
        return all;
    }

    private static String baseName(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }
}
