package dev.augsweep.data;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * The datasets of the paper, in their official binary layouts (Krizhevsky, 2009): CIFAR-10 (one label byte per
 * record, ten classes) and CIFAR-100 (a coarse and a fine label byte; the paper classifies the 100 fine labels).
 */
public enum Dataset {
    CIFAR10("cifar-10-batches-bin",
            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"),
            "test_batch.bin", 1, 10, 0,
            URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"), "c32a1d4ab5d03f1284b67883e8d87530"),
    CIFAR100("cifar-100-binary", List.of("train.bin"), "test.bin", 2, 100, 20,
            URI.create("https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz"), "03b5dce01913d631647c71ecec9e9cb8");

    private final String folder;
    private final List<String> trainFiles;
    private final String testFile;
    private final int labelBytes;
    private final int classes;
    private final int coarseClasses;
    private final URI official;
    private final String officialMd5;

    Dataset(String folder, List<String> trainFiles, String testFile, int labelBytes, int classes, int coarseClasses,
            URI official, String officialMd5) {
        this.folder = folder;
        this.trainFiles = trainFiles;
        this.testFile = testFile;
        this.labelBytes = labelBytes;
        this.classes = classes;
        this.coarseClasses = coarseClasses;
        this.official = official;
        this.officialMd5 = officialMd5;
    }

    /** As users write it: cifar10, cifar100. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Dataset of(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }

    /** The folder inside the official archive that holds the batch files. */
    public String folder() {
        return folder;
    }

    public List<String> trainFiles() {
        return trainFiles;
    }

    public String testFile() {
        return testFile;
    }

    /** Label bytes before each image: 1 (CIFAR-10) or 2 (CIFAR-100: coarse, then fine). */
    public int labelBytes() {
        return labelBytes;
    }

    public int recordBytes() {
        return labelBytes + CifarSplit.IMAGE_BYTES;
    }

    /** Classes of the label the paper uses (CIFAR-100: the fine one). */
    public int classes() {
        return classes;
    }

    /** CIFAR-100's coarse classes (the first label byte); 0 where there is no coarse label. */
    public int coarseClasses() {
        return coarseClasses;
    }

    /** The environment variable that points augsweep at a copy (conf/defaults.conf's data-paths read it). */
    public String environment() {
        return this == CIFAR10 ? "AUGSWEEP_DATA" : "AUGSWEEP_DATA_" + name();
    }

    public String archiveName() {
        return official.getPath().substring(official.getPath().lastIndexOf('/') + 1);
    }

    public URI official() {
        return official;
    }

    public String officialMd5() {
        return officialMd5;
    }
}
