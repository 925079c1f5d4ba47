package dev.augsweep.data;

import java.io.ByteArrayOutputStream;

/**
 * Parses the bytes of one batch file (label bytes + 3,072 pixel bytes per record), checking size and labels; keeps
 * the label the paper uses (CIFAR-100: the fine one, the second byte).
 */
final class CifarRecords {
    private final Dataset dataset;
    private final ByteArrayOutputStream pixels = new ByteArrayOutputStream();
    private final ByteArrayOutputStream labels = new ByteArrayOutputStream();

    CifarRecords(Dataset dataset) {
        this.dataset = dataset;
    }

    void add(String file, byte[] content) {
        int record = dataset.recordBytes();
        if (content.length == 0 || content.length % record != 0) {
            long whole = content.length / record;
            throw new CifarFormatException(file + ": " + content.length + " bytes is not a whole number of "
                    + record + "-byte records (truncated or wrong file: the last complete record ends at offset "
                    + whole * record + "); expected records of " + dataset.labelBytes() + " label byte"
                    + (dataset.labelBytes() == 1 ? "" : "s") + " + 3,072 pixel bytes, the " + describe());
        }
        for (int off = 0; off < content.length; off += record) {
            if (dataset.coarseClasses() > 0 && (content[off] & 0xff) >= dataset.coarseClasses()) {
                throw new CifarFormatException(file + " offset " + off + ": coarse label " + (content[off] & 0xff)
                        + " is outside 0-" + (dataset.coarseClasses() - 1) + "; this is not the " + describe());
            }
            int label = content[off + dataset.labelBytes() - 1] & 0xff;
            if (label >= dataset.classes()) {
                throw new CifarFormatException(file + " offset " + (off + dataset.labelBytes() - 1) + ": label " + label
                        + " is outside 0-" + (dataset.classes() - 1) + "; this is not the " + describe()
                        + (dataset == Dataset.CIFAR10 ? " (CIFAR-100 has two label bytes: set dataset=cifar100)" : ""));
            }
            labels.write(label);
            pixels.write(content, off + dataset.labelBytes(), CifarSplit.IMAGE_BYTES);
        }
    }

    private String describe() {
        return dataset == Dataset.CIFAR10 ? "CIFAR-10 binary version" : "CIFAR-100 binary version";
    }

    CifarSplit build() {
        return new CifarSplit(pixels.toByteArray(), labels.toByteArray(), dataset.classes());
    }
}
