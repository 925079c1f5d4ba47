package dev.augsweep.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.protocol.AlreadyBeingCreatedException;

/**
 * All file I/O of a sweep's results goes through here, on Hadoop's {@link FileSystem} (the one Spark ships), so that
 * a results directory may live on HDFS or an object store as well as on a local or shared disk.
 *
 * <p>Files are replaced whole: where the store renames atomically (local disks, HDFS) a file is written under a
 * unique temporary name and renamed over the old one; on object stores, where a rename is a copy, it is written by
 * one {@code create} that overwrites (an object appears whole when its upload completes). Readers never see half a
 * file, and two writers of one file leave one of the two whole.
 *
 * <p>The Hadoop settings ({@code spark.hadoop.*}, without the prefix: credentials, endpoints) are one per JVM, as
 * Hadoop's own filesystem cache is: a driver sets them from its Spark settings and hands them to every task and
 * trial worker ({@link #settings()}).
 */
public final class Storage {
    /** Schemes of object stores: no atomic rename, a single create replaces an object whole. */
    private static final Set<String> OBJECT_STORES = Set.of("s3a", "s3", "s3n", "gs", "abfs", "abfss", "wasb", "wasbs",
            "oss", "cosn", "obs");
    private static final int READ_ATTEMPTS = 10;
    private static final String SPARK_PREFIX = "spark.hadoop.";
    private static volatile Map<String, String> settings = hadoopSettings(Map.of());
    private static final Map<String, FileSystem> FILESYSTEMS = new ConcurrentHashMap<>();

    private Storage() {
    }

    /** What reads a file's bytes into a value. */
    public interface Reading<T> {
        T readFrom(InputStream in) throws IOException;
    }

    /** What writes a file's bytes. */
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Sets this JVM's Hadoop settings (a no-op when they are the ones already set). */
    public static synchronized void configure(Map<String, String> hadoopSettings) {
        if (!hadoopSettings.equals(settings)) {
            settings = new Settings(hadoopSettings);
            FILESYSTEMS.clear(); // opened under the old settings
        }
    }

    public static Map<String, String> settings() {
        return settings;
    }

    /** The Hadoop settings among Spark's: {@code spark.hadoop.X} in the system properties and {@code spark}, as X. */
    public static Map<String, String> hadoopSettings(Map<String, String> spark) {
        Map<String, String> all = new LinkedHashMap<>();
        Properties system = System.getProperties();
        system.stringPropertyNames().forEach(k -> all.put(k, system.getProperty(k)));
        all.putAll(spark);
        Map<String, String> hadoop = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(SPARK_PREFIX)) {
                hadoop.put(k.substring(SPARK_PREFIX.length()), v);
            }
        });
        return new Settings(hadoop);
    }

    /**
     * Hadoop settings as they travel (to tasks, trial workers, executors' fences), with their secrets hidden from
     * any toString: a record holding them, printed in a log or an error, shows {@code fs.s3a.secret.key=<hidden>}.
     */
    private static final class Settings extends AbstractMap<String, String> implements Serializable {
        private static final long serialVersionUID = 1L;
        /** fs.s3a.secret.key, fs.s3a.session.token, fs.azure.account.key.ACCOUNT..., fs.azure.sas.*, ... */
        private static final Pattern SECRET = Pattern.compile("(?i).*(secret|password|token|\\.key(\\.|$)|\\.sas\\.).*");
        private final LinkedHashMap<String, String> map;

        Settings(Map<String, String> map) {
            this.map = new LinkedHashMap<>(map);
        }

        @Override
        public Set<Entry<String, String>> entrySet() {
            return Collections.unmodifiableMap(map).entrySet();
        }

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder("{");
            map.forEach((k, v) -> out.append(out.length() > 1 ? ", " : "").append(k).append('=')
                    .append(SECRET.matcher(k).matches() ? "<hidden>" : v));
            return out.append('}').toString();
        }
    }

    /** A file's size and modification time. */
    public record Stat(long length, long modifiedMillis) {
    }

    /** The file's size and modification time; null when there is no such file. */
    public static Stat stat(StorePath p) {
        FileStatus s = status(p);
        return s == null || !s.isFile() ? null : new Stat(s.getLen(), s.getModificationTime());
    }

    public static boolean isFile(StorePath p) {
        FileStatus s = status(p);
        return s != null && s.isFile();
    }

    public static boolean isDirectory(StorePath p) {
        FileStatus s = status(p);
        return s != null && s.isDirectory();
    }

    public static boolean exists(StorePath p) {
        return status(p) != null;
    }

    /** A stream of a file no one replaces while it is read (a dataset archive); see {@link #read} for the others. */
    public static InputStream open(StorePath p) throws IOException {
        return fs(p).open(p.hadoop());
    }

    /**
     * Reads a file that {@link #write} may replace meanwhile. On a local disk a reader keeps the old copy; on HDFS a
     * rename over the file fails the reader ("Blocklist ... has changed"), so a failed read is read again, from the
     * start, while the file keeps changing under it, up to {@value #READ_ATTEMPTS} times; a file that fails each
     * time is damaged and its error is thrown.
     */
    public static <T> T read(StorePath p, Reading<T> reading) throws IOException {
        for (int attempt = 1;; attempt++) {
            Stat before = stat(p);
            try (InputStream in = open(p)) {
                return reading.readFrom(in);
            } catch (FileNotFoundException e) {
                throw e;
            } catch (IOException e) {
                boolean replaced = attempt == 1 || !Objects.equals(before, stat(p));
                if (!replaced || attempt == READ_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    public static String readString(StorePath p) {
        try {
            return read(p, in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw StorageErrors.wrap(p, "read", e);
        }
    }

    public static void writeString(StorePath target, String text) {
        try {
            write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw StorageErrors.wrap(target, "write", e);
        }
    }

    /**
     * Creates {@code target} with {@code text} unless it exists; whether it did. Exclusive where the store makes it
     * so: on HDFS one create wins in the name node; on object stores a conditional create ({@link ConditionalCreate}:
     * S3's {@code If-None-Match: *}), which {@link #exclusiveCreateFlaw} checks the store honours. Elsewhere, and on
     * an object store that offers no conditional create (which {@link #exclusiveCreateFlaw} says), a check and then a
     * create.
     */
    public static boolean createNew(StorePath target, String text) {
        if (isObjectStore(target)) {
            try {
                return conditionalCreate(target, text);
            } catch (ConditionalCreate.Unavailable e) {
                // a check and then a create, below
            }
        }
        try (OutputStream out = fs(target).create(target.hadoop(), false)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (FileAlreadyExistsException | AlreadyBeingCreatedException e) { // the latter: the other is writing it
            return false;
        } catch (IOException e) {
            throw StorageErrors.wrap(target, "create", e);
        }
    }

    private static boolean conditionalCreate(StorePath target, String text) throws ConditionalCreate.Unavailable {
        try {
            return ConditionalCreate.create(fs(target), target.hadoop(),
                    out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
        } catch (ConditionalCreate.Unavailable e) {
            throw e;
        } catch (IOException e) {
            throw StorageErrors.wrap(target, "create", e);
        }
    }

    /**
     * Why {@link #createNew} in {@code dir} could let two writers create one file, or null where it cannot: HDFS (one
     * create wins in the name node), and object stores that refuse a second conditional create of one key. Those are
     * asked, not trusted (a setting reports what the client sends, not what the server does): a probe key under
     * {@code dir} is created twice, and the second must be refused; the probe is deleted after. A local disk is a
     * check and then a create: its callers lock files instead.
     */
    public static String exclusiveCreateFlaw(StorePath dir) {
        if (dir.isLocal()) {
            return "on a local disk a create is a check and then a write";
        }
        if (!isObjectStore(dir)) {
            return null;
        }
        StorePath probe = dir.resolve(".exclusive-create-probe-" + UUID.randomUUID());
        try {
            if (!conditionalCreate(probe, "1")) {
                return "a new key " + probe + " was reported to exist already";
            }
            if (conditionalCreate(probe, "2")) {
                return "the store took a second conditional create of one key (If-None-Match: *) as a plain write "
                        + "(an S3-compatible server without conditional writes)";
            }
            return null;
        } catch (ConditionalCreate.Unavailable e) {
            return e.getMessage();
        } catch (StorageException e) {
            // said of the directory the caller named, not of the probe's key
            throw e.getCause() instanceof Exception cause ? StorageErrors.wrap(dir, "create a file in", cause) : e;
        } finally {
            try {
                fs(probe).delete(probe.hadoop(), false);
            } catch (IOException | RuntimeException e) {
                // a probe key left behind is harmless
            }
        }
    }

    static boolean isObjectStore(StorePath p) {
        return OBJECT_STORES.contains(p.uri().getScheme());
    }

    /** Replaces {@code target} whole with what {@code content} writes (see the class comment for how). */
    public static void write(StorePath target, Content content) throws IOException {
        if (target.isLocal()) {
            writeLocal(target.toLocalPath(), content);
            return;
        }
        FileSystem fs = fs(target);
        if (isObjectStore(target)) {
            try (OutputStream out = fs.create(target.hadoop(), true)) {
                content.writeTo(out);
            }
            return;
        }
        // A name of its own per write: two attempts of one trial at once (speculation, an executor wrongly declared
        // lost) must not write into one temporary file and rename a mix of both.
        StorePath tmp = target.parent().resolve(target.name() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (OutputStream out = fs.create(tmp.hadoop(), false)) {
                content.writeTo(out);
            }
            renameOver(fs, tmp, target);
        } catch (IOException | RuntimeException e) {
            fs.delete(tmp.hadoop(), false); // a failed write leaves no temporary file behind
            throw e;
        }
    }

    /**
     * A local file through java.nio: Hadoop's local file system sets each new file's permissions by running chmod
     * (without its native library), a process per write that dominated a search's many short trials.
     */
    private static void writeLocal(Path target, Content content) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                content.writeTo(out);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private static void renameOver(FileSystem fs, StorePath from, StorePath to) throws IOException {
        if (fs instanceof DistributedFileSystem hdfs) {
            hdfs.rename(from.hadoop(), to.hadoop(), Options.Rename.OVERWRITE); // atomic in the namenode
        } else if (!fs.rename(from.hadoop(), to.hadoop())) { // POSIX rename replaces; other stores may refuse
            fs.delete(to.hadoop(), false);
            if (!fs.rename(from.hadoop(), to.hadoop())) {
                throw new IOException("cannot rename " + from + " to " + to);
            }
        }
    }

    public static void mkdirs(StorePath dir) {
        try {
            fs(dir).mkdirs(dir.hadoop());
        } catch (IOException e) {
            throw StorageErrors.wrap(dir, "create directory", e);
        }
    }

    public static void delete(StorePath p, boolean recursive) {
        try {
            fs(p).delete(p.hadoop(), recursive);
        } catch (IOException e) {
            throw StorageErrors.wrap(p, "delete", e);
        }
    }

    /** The entries of a directory (none when it does not exist). */
    public static List<StorePath> list(StorePath dir) {
        try {
            List<StorePath> entries = new ArrayList<>();
            for (FileStatus s : fs(dir).listStatus(dir.hadoop())) {
                entries.add(dir.resolve(s.getPath().getName()));
            }
            return entries;
        } catch (FileNotFoundException e) {
            return List.of();
        } catch (IOException e) {
            throw StorageErrors.wrap(dir, "list", e);
        }
    }

    /** Moves a local file (a crash log written where the JVM could write it) into the store. */
    public static void moveFromLocal(Path local, StorePath target) {
        try {
            write(target, out -> Files.copy(local, out));
            Files.delete(local);
        } catch (IOException e) {
            throw StorageErrors.wrap(target, "move " + local + " to", e);
        }
    }

    private static FileStatus status(StorePath p) {
        try {
            return fs(p).getFileStatus(p.hadoop());
        } catch (FileNotFoundException e) {
            return null;
        } catch (IOException e) {
            throw StorageErrors.wrap(p, "reach", e);
        }
    }

    private static FileSystem fs(StorePath p) {
        String key = p.uri().getScheme() + "://" + (p.uri().getAuthority() == null ? "" : p.uri().getAuthority());
        return FILESYSTEMS.computeIfAbsent(key, k -> {
            Configuration conf = new Configuration();
            settings.forEach(conf::set);
            if (p.isLocal()) {
                // Local files without Hadoop's .crc companions: results are read by people and tools, not only
                // Hadoop. Only for them: S3A buffers uploads on local disk through FileSystem.getLocal, which
                // casts to the checksummed LocalFileSystem.
                conf.set("fs.file.impl", RawLocalFileSystem.class.getName());
            }
            try {
                if ("s3a".equals(p.uri().getScheme())) {
                    probeS3(p, conf);
                }
                return FileSystem.newInstance(p.uri(), conf);
            } catch (IOException | IllegalArgumentException e) { // the latter: Hadoop's wrap of an unknown host
                StorageException wrapped = StorageErrors.wrap(p, "open the file system of", e);
                throw wrapped.userMessage() != null ? wrapped : new StorageException(wrapped.getMessage(),
                        "cannot open the file system of " + p + " (" + e.getMessage() + "); its settings go in "
                                + "spark.hadoop.* (--conf, or AUGSWEEP_JAVA_OPTS=-Dspark.hadoop....)", e);
            }
        });
    }

    /**
     * Asks S3 once, failing fast, before the file system is used. S3A retries a failed request for minutes (the
     * SDK's attempts times its own retries: an endpoint that refuses connections took 165 s to fail with Hadoop's
     * defaults), which is right during a sweep of hours, where a store's outage should be ridden out, but wrong for
     * a typo in the endpoint. So a throw-away file system with one attempt and short timeouts asks for {@code p}
     * first; the one kept uses the user's settings, or Hadoop's defaults. A HEAD's 403 carries no error code, so a
     * refused HEAD is asked again as a LIST, whose error tells wrong keys from a policy that denies.
     */
    private static void probeS3(StorePath p, Configuration conf) throws IOException {
        Configuration fast = new Configuration(conf);
        fast.setInt("fs.s3a.attempts.maximum", 0);
        fast.setInt("fs.s3a.retry.limit", 0);
        fast.set("fs.s3a.retry.interval", "100ms");
        fast.set("fs.s3a.connection.establish.timeout", "15s"); // S3A's least
        fast.set("fs.s3a.connection.timeout", "15s");
        try (FileSystem probe = FileSystem.newInstance(p.uri(), fast)) {
            try {
                if (p.uri().getPath().equals("/")) {
                    probe.listStatus(p.hadoop());
                } else {
                    probe.getFileStatus(p.hadoop());
                }
            } catch (FileNotFoundException e) {
                // reached, and nothing there yet
            } catch (java.nio.file.AccessDeniedException e) {
                try {
                    probe.listStatus(p.hadoop());
                } catch (java.nio.file.AccessDeniedException listed) {
                    throw listed;
                } catch (IOException other) {
                    // the LIST told nothing more
                }
                throw e;
            }
        }
    }
}
