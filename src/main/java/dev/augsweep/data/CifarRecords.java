package dev.augsweep.data;

import java.io.ByteArrayOutputStream;

/** Parses the bytes of one batch file (label byte + 3,072 pixel bytes per record), checking size and labels. */
final class CifarRecords {
    private final ByteArrayOutputStream pixels = new ByteArrayOutputStream();
    private final ByteArrayOutputStream labels = new ByteArrayOutputStream();

    void add(String file, byte[] content) {
        if (content.length == 0 || content.length % CifarSplit.RECORD_BYTES != 0) {
            long whole = content.length / CifarSplit.RECORD_BYTES;
            throw new CifarFormatException(file + ": " + content.length + " bytes is not a whole number of "
                    + CifarSplit.RECORD_BYTES + "-byte records (truncated or wrong file: the last complete record "
                    + "ends at offset " + whole * CifarSplit.RECORD_BYTES + "); expected 10,000 records of "
                    + "1 label byte + 3,072 pixel bytes");
        }
        for (int off = 0; off < content.length; off += CifarSplit.RECORD_BYTES) {
            int label = content[off] & 0xff;
            if (label >= CifarSplit.CLASSES) {
                throw new CifarFormatException(file + " offset " + off + ": label " + label
                        + " is outside 0-9; this is not the CIFAR-10 binary version (CIFAR-100 has two label bytes)");
            }
            labels.write(label);
            pixels.write(content, off + 1, CifarSplit.IMAGE_BYTES);
        }
    }

    CifarSplit build() {
        return new CifarSplit(pixels.toByteArray(), labels.toByteArray());
    }
}
