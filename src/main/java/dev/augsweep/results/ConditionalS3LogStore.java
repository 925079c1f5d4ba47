package dev.augsweep.results;

import dev.augsweep.storage.ConditionalCreate;
import io.delta.storage.HadoopFileSystemLogStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.Iterator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Delta's log on {@code s3a://} with commits that one writer wins: each version's file is created by S3's
 * conditional PUT ({@code If-None-Match: *}, {@link ConditionalCreate}), and a version another writer created first
 * fails as Delta expects ({@link FileAlreadyExistsException}), so Delta checks the other's commit for conflicts and
 * retries. Delta's own {@code S3SingleDriverLogStore} checks for the file and then writes it, which is safe for one
 * driver only: two drivers writing one version both succeed, and the later silently replaces the earlier's commit.
 * Set for {@code s3a} by {@link SparkSessions} ({@code spark.delta.logStore.s3a.impl}) unless the user sets another.
 *
 * <p>Where the store offers no conditional create (switched off), a version is checked for and then written, as
 * Delta's single-driver store does; the driver's lease refuses to run on such a store unless the user says one
 * driver runs there at a time (docs/clusters.md, "Results on S3").
 */
public final class ConditionalS3LogStore extends HadoopFileSystemLogStore {
    public ConditionalS3LogStore(Configuration initHadoopConf) {
        super(initHadoopConf);
    }

    @Override
    public void write(Path path, Iterator<String> actions, Boolean overwrite, Configuration hadoopConf)
            throws IOException {
        FileSystem fs = path.getFileSystem(hadoopConf);
        if (overwrite) {
            try (OutputStream out = fs.create(path, true)) {
                writeActions(actions, out);
            }
            return;
        }
        boolean created;
        try {
            created = ConditionalCreate.create(fs, path, out -> writeActions(actions, out));
        } catch (ConditionalCreate.Unavailable e) {
            if (fs.exists(path)) {
                throw new FileAlreadyExistsException(path.toString());
            }
            try (OutputStream out = fs.create(path, false)) {
                writeActions(actions, out);
            }
            return;
        }
        if (!created) {
            throw new FileAlreadyExistsException(path.toString(), null, "another writer committed this version first");
        }
    }

    private static void writeActions(Iterator<String> actions, OutputStream out) throws IOException {
        while (actions.hasNext()) {
            out.write((actions.next() + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** An object appears whole when its upload completes. */
    @Override
    public Boolean isPartialWriteVisible(Path path, Configuration hadoopConf) {
        return false;
    }
}
