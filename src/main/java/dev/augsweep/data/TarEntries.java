package dev.augsweep.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/** A minimal reader of POSIX tar streams: enough for the CIFAR archive, with no extra dependency. */
final class TarEntries {
    private static final int BLOCK = 512;

    private TarEntries() {
    }

    /** Calls {@code visitor(name, content)} for each regular file whose name {@code wanted} accepts. */
    static void read(InputStream in, String archive, java.util.function.Predicate<String> wanted,
                     BiConsumer<String, byte[]> visitor) throws IOException {
        byte[] header = new byte[BLOCK];
        long offset = 0;
        while (true) {
            if (!readFully(in, header)) {
                return;
            }
            if (isZero(header)) {
                return;
            }
            if (!new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar")
                    && !checksumMatches(header)) {
                throw new CifarFormatException(archive + " offset " + offset
                        + ": not a tar header; expected cifar-10-binary.tar.gz (a gzipped tar)");
            }
            String name = cString(header, 0, 100);
            String prefix = cString(header, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            long size = octal(header, 124, 12);
            if (size < 0) {
                throw new CifarFormatException(archive + " offset " + offset + ": entry " + name
                        + " has an unreadable size field; the archive is damaged");
            }
            char type = (char) header[156];
            offset += BLOCK;
            long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
            if ((type == '0' || type == 0) && wanted.test(name)) {
                if (size > Integer.MAX_VALUE) {
                    throw new CifarFormatException(archive + ": entry " + name + " is too large (" + size + " bytes)");
                }
                byte[] content = new byte[(int) size];
                if (!readFully(in, content)) {
                    throw new CifarFormatException(archive + ": truncated inside entry " + name + " (starts at offset "
                            + offset + ", " + size + " bytes expected); download the archive again");
                }
                in.skipNBytes(padded - size);
                visitor.accept(name, content);
            } else {
                in.skipNBytes(padded);
            }
            offset += padded;
        }
    }

    private static boolean readFully(InputStream in, byte[] buf) throws IOException {
        int n = in.readNBytes(buf, 0, buf.length);
        if (n == 0) {
            return false;
        }
        if (n < buf.length) {
            throw new EOFException("stream ended after " + n + " of " + buf.length + " bytes");
        }
        return true;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean checksumMatches(byte[] h) {
        long stored = octal(h, 148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        }
        return stored == sum;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.US_ASCII);
    }

    private static long octal(byte[] b, int off, int len) {
        long v = 0;
        for (int i = off; i < off + len; i++) {
            int ch = b[i];
            if (ch >= '0' && ch <= '7') {
                v = v * 8 + (ch - '0');
            } else if (ch != ' ' && ch != 0) {
                return -1;
            }
        }
        return v;
    }
}
