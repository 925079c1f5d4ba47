package dev.augsweep.storage;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * A create that one writer wins on an object store: Hadoop's conditional create
 * ({@code createFile(p).overwrite(false).must(fs.option.create.conditional.overwrite, true)}, HADOOP-19256), which
 * S3A (Hadoop 3.4.2 and later) sends as a PUT with {@code If-None-Match: *}. S3 refuses the second such PUT of a key
 * with 412 Precondition Failed, which S3A reports at {@code close()} as a {@code RemoteFileChangedException}: the
 * loser learns it lost when its write completes, not when it starts. A plain {@code create(p, false)} on S3A is a
 * HEAD and then an unconditional PUT: two writers can both succeed, the last one's object winning.
 *
 * <p>Hadoop-aws's classes are matched by name: where a cluster runs without the S3 connector, HDFS still works.
 */
public final class ConditionalCreate {
    private static final String PRECONDITION_FAILED = "org.apache.hadoop.fs.s3a.RemoteFileChangedException";

    private ConditionalCreate() {
    }

    /** The store offers no conditional create (its message says which and why, in the user's terms). */
    public static final class Unavailable extends IOException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Creates {@code path} with what {@code content} writes unless it exists; whether it did (false: another writer
     * created it first, whichever finished first).
     *
     * @throws Unavailable where the filesystem offers no conditional create
     */
    public static boolean create(FileSystem fs, Path path, Storage.Content content) throws IOException {
        FSDataOutputStream out;
        try {
            out = (FSDataOutputStream) fs.createFile(path).overwrite(false)
                    .must(Options.CreateFileOptionKeys.FS_OPTION_CREATE_CONDITIONAL_OVERWRITE, true).build();
        } catch (IllegalArgumentException | UnsupportedOperationException e) { // an unknown mandatory option
            throw new Unavailable(path.toUri().getScheme() + ":// offers no conditional create (Hadoop's "
                    + Options.CreateFileOptionKeys.FS_OPTION_CREATE_CONDITIONAL_OVERWRITE + ")", e);
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("Conditional Writes Unavailable")) { // S3A, switched off
                throw new Unavailable("S3A's conditional writes are switched off (fs.s3a.create.conditional.enabled"
                        + "=false)", e);
            }
            throw e;
        }
        try {
            try (OutputStream o = out) {
                content.writeTo(o);
            }
            return true;
        } catch (IOException e) {
            if (preconditionFailed(e)) {
                return false;
            }
            throw e;
        }
    }

    /** A write refused because its condition did not hold: S3's 412, as S3A reports it. */
    static boolean preconditionFailed(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getName().equals(PRECONDITION_FAILED)
                    || String.valueOf(t.getMessage()).contains("Status Code: 412")) {
                return true;
            }
        }
        return false;
    }
}
