package dev.augsweep.storage;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A file or directory where a sweep keeps its results: a URI on any Hadoop filesystem ({@code hdfs:}, {@code s3a:},
 * {@code gs:}, {@code abfs:}, ...) or a local path ({@code file:}). Plain paths, as users type them, become
 * absolute {@code file:} locations.
 */
public record StorePath(URI uri) implements Serializable {
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]+:.*");

    public StorePath {
        if (uri.getScheme() == null || uri.getPath() == null) {
            throw new IllegalArgumentException("'" + uri + "' is not a location: expected a path or a URI such as "
                    + "hdfs://namenode:8020/sweeps/x or s3a://bucket/sweeps/x");
        }
    }

    /** A path ({@code results/x}) or a URI ({@code hdfs://nn:8020/results/x}). */
    public static StorePath of(String location) {
        if (!SCHEME.matcher(location).matches()) {
            return local(Path.of(location));
        }
        URI uri = URI.create(location);
        if ("file".equals(uri.getScheme())) {
            return local(Path.of(uri));
        }
        String path = uri.getPath().isEmpty() ? "/" : uri.getPath();
        return new StorePath(build(uri.getScheme(), uri.getAuthority(), trimSlash(path)));
    }

    public static StorePath local(Path path) {
        return new StorePath(build("file", null, path.toAbsolutePath().normalize().toString()));
    }

    public StorePath resolve(String child) {
        String path = uri.getPath();
        String joined = (path.endsWith("/") ? path : path + "/") + child;
        return new StorePath(build(uri.getScheme(), uri.getAuthority(), joined));
    }

    public StorePath parent() {
        String path = uri.getPath();
        int slash = path.lastIndexOf('/');
        return new StorePath(build(uri.getScheme(), uri.getAuthority(), slash <= 0 ? "/" : path.substring(0, slash)));
    }

    public String name() {
        String path = uri.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    public boolean isLocal() {
        return "file".equals(uri.getScheme());
    }

    /** The local path of a {@code file:} location. */
    public Path toLocalPath() {
        if (!isLocal()) {
            throw new IllegalStateException(this + " is not on the local filesystem");
        }
        return Path.of(uri.getPath());
    }

    public org.apache.hadoop.fs.Path hadoop() {
        return new org.apache.hadoop.fs.Path(uri);
    }

    /** The form users typed: a plain path for local files, the URI otherwise (Spark and Delta read both). */
    @Override
    public String toString() {
        return isLocal() ? uri.getPath() : uri.toString();
    }

    private static String trimSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static URI build(String scheme, String authority, String path) {
        try {
            return new URI(scheme, authority, path, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot make a location of " + scheme + "://" + authority + path, e);
        }
    }
}
