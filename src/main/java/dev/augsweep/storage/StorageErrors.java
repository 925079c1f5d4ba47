package dev.augsweep.storage;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.ParentNotDirectoryException;
import org.apache.hadoop.hdfs.protocol.QuotaExceededException;
import org.apache.hadoop.hdfs.server.namenode.SafeModeException;
import org.apache.hadoop.ipc.RpcException;
import org.apache.hadoop.security.AccessControlException;

/**
 * Turns the failures of a store into what a user does about them: the path, what happened, and the fix. Hadoop's
 * client wraps its causes (a refused connection inside an IOException naming both hosts, a permission inside a
 * RemoteException unwrapped to AccessControlException), so the whole cause chain is read.
 */
public final class StorageErrors {
    private StorageErrors() {
    }

    /** A failure of {@code doing} (e.g. "read") on {@code path}, explained where the cause allows. */
    public static StorageException wrap(StorePath path, String doing, Exception e) {
        String explained = explain(path == null ? null : path.toString(), path == null ? null : path.uri(), e);
        return new StorageException("cannot " + doing + " " + path + " (" + e + ")", explained, e);
    }

    /**
     * A store refused what a caller needs of it (a lease that cannot fence), said in one line with the fix: a failure
     * the user acts on, as {@link StorageException#userMessage()} marks them.
     */
    public static StorageException refused(String userMessage) {
        return new StorageException(userMessage, userMessage, null);
    }

    /**
     * One line for the user about {@code e} on {@code location} (null where not known), or null when the cause is
     * not one a user can act on.
     */
    public static String explain(String location, URI uri, Throwable e) {
        String where = location == null ? "the results store" : location;
        if (uri != null && "s3a".equals(uri.getScheme()) || uri == null && fromS3a(e)) {
            String s3 = explainS3(where, uri, e);
            if (s3 != null) {
                return s3;
            }
        }
        String endpoint = uri == null || uri.getAuthority() == null ? "its file system"
                : uri.getScheme() + "://" + uri.getAuthority();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // HDFS's permission check says a parent that is a file "is not a directory"
            if (t instanceof ParentNotDirectoryException || t instanceof AccessControlException
                    && String.valueOf(t.getMessage()).contains("is not a directory")) {
                return "a parent of " + where + " is a file, not a directory (" + firstLine(t) + "); pass another "
                        + "--results";
            }
            if (t instanceof AccessControlException) {
                return "permission denied on " + where + " (" + firstLine(t) + "); give this user access "
                        + "(hdfs dfs -chmod or -chown on the directory, or run as its owner with HADOOP_USER_NAME), "
                        + "or pass another --results";
            }
            if (t instanceof QuotaExceededException) {
                return "the quota of a directory above " + where + " is used up (" + firstLine(t) + "); free "
                        + "space there, raise the quota (hdfs dfsadmin -setSpaceQuota / -setQuota), or pass another "
                        + "--results";
            }
            if (t instanceof SafeModeException) {
                return "the name node of " + endpoint + " is in safe mode and refuses writes to " + where + "; wait "
                        + "for it to leave safe mode (hdfs dfsadmin -safemode get)";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host " + (uri != null && uri.getHost() != null ? "'" + uri.getHost() + "'"
                        : "(" + firstLine(t) + ")") + " in " + where + "; check the host name in --results or data=";
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return "cannot reach " + endpoint + " for " + where + " (" + firstLine(t) + "); is the name node "
                        + "running there? Start it (the local one: src/test/cluster/local-hdfs.sh start), or check "
                        + "host and port in --results or data=";
            }
            if (t instanceof SocketTimeoutException) {
                return endpoint + " did not answer for " + where + " (" + firstLine(t) + "); check host and port "
                        + "in --results or data=, and that a firewall lets the connection through";
            }
            if (t instanceof RpcException || t instanceof EOFException
                    || t instanceof SocketException && String.valueOf(t.getMessage()).contains("reset")) {
                return endpoint + " answered, but not as an HDFS name node, for " + where + " (" + firstLine(t)
                        + "); check the port in --results or data= (the name node's RPC port, often 8020 or 9000, "
                        + "not its web port 9870)";
            }
        }
        return null;
    }

    /** S3's error codes for keys it does not accept, and what each means. */
    private static final Map<String, String> CREDENTIAL_CODES = Map.of(
            "InvalidAccessKeyId", "the access key is unknown",
            "SignatureDoesNotMatch", "the secret key does not belong to the access key",
            "InvalidToken", "the session token is malformed",
            "ExpiredToken", "the session token has expired",
            "TokenRefreshRequired", "the session token has expired");

    /**
     * S3's failures in S3's terms. S3A reports a refused request as {@code AccessDeniedException} whatever the
     * cause, and appends S3's error code to its message ({@code ...:SignatureDoesNotMatch}); a HEAD's 403 carries
     * no code ({@code ...:null}), so S3 answered only "forbidden". Secrets never appear in these messages: S3's
     * errors name the access key's id at most.
     */
    private static String explainS3(String where, URI uri, Throwable e) {
        String endpoint = s3Endpoint(uri);
        String codes = chainMessages(e);
        for (var c : CREDENTIAL_CODES.entrySet()) {
            if (hasCode(codes, c.getKey())) {
                return "S3 at " + endpoint + " refused the credentials for " + where + " (" + c.getKey() + ": "
                        + c.getValue() + "); give the right key pair: --conf spark.hadoop.fs.s3a.access.key=... "
                        + "--conf spark.hadoop.fs.s3a.secret.key=... (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                        + "or this machine's instance profile; temporary keys also need fs.s3a.session.token)";
            }
        }
        boolean unknownStore = hasCode(codes, "NoSuchBucket") || has(e, "org.apache.hadoop.fs.s3a.UnknownStoreException");
        if (unknownStore) {
            String bucket = uri != null && uri.getAuthority() != null ? "'" + uri.getAuthority() + "'" : "of " + where;
            return "bucket " + bucket + " does not exist at " + endpoint + " (NoSuchBucket), for " + where
                    + "; create it (aws s3 mb s3://" + (uri != null && uri.getAuthority() != null ? uri.getAuthority()
                    : "BUCKET") + "), or fix the bucket's name in --results or data= (for an S3-compatible store, "
                    + "check spark.hadoop.fs.s3a.endpoint too)";
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AccessDeniedException) {
                boolean coded = hasCode(codes, "AccessDenied") || hasCode(codes, "AllAccessDisabled");
                return "access denied to " + where + " by S3 at " + endpoint + (coded
                        ? " (403 AccessDenied): the credentials were accepted, but their policy does not allow this; "
                        : " (403 Forbidden: wrong credentials, or a policy that does not allow this); check the key "
                        + "pair (spark.hadoop.fs.s3a.access.key and secret.key, AWS_ACCESS_KEY_ID, the instance "
                        + "profile), and ") + "allow s3:ListBucket on the bucket and s3:GetObject, s3:PutObject and "
                        + "s3:DeleteObject under the path (data= needs s3:GetObject only), or pass another --results";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnknownHostException) {
                Throwable inner = t;
                for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
                    if (c instanceof UnknownHostException) {
                        inner = c;
                    }
                }
                String host = firstLine(inner).split(":")[0]; // "host: Name or service not known" on Linux
                return "unknown host '" + host + "', the S3 endpoint for " + where + "; check spark.hadoop"
                        + ".fs.s3a.endpoint (an S3-compatible store also needs fs.s3a.path.style.access=true, or "
                        + "the bucket is taken for part of the host name)";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return "cannot reach the S3 endpoint " + endpoint + " for " + where + " (" + rootMessage(t)
                        + "); check spark.hadoop.fs.s3a.endpoint (an S3-compatible store: its URL, with "
                        + "fs.s3a.path.style.access=true) and that the store runs and can be reached from here";
            }
            if (t instanceof SocketTimeoutException || String.valueOf(t.getMessage()).contains("connect timed out")) {
                return "the S3 endpoint " + endpoint + " did not answer for " + where + " (" + rootMessage(t)
                        + "); check spark.hadoop.fs.s3a.endpoint, and that a firewall or proxy lets the connection "
                        + "through (fs.s3a.proxy.host)";
            }
        }
        return null;
    }

    /** Where S3A sends a bucket's requests: its endpoint setting, per bucket or for all, else AWS. */
    private static String s3Endpoint(URI uri) {
        Map<String, String> settings = Storage.settings();
        String bucket = uri == null ? null : uri.getAuthority();
        String endpoint = bucket == null ? null : settings.get("fs.s3a.bucket." + bucket + ".endpoint");
        endpoint = endpoint != null ? endpoint : settings.get("fs.s3a.endpoint");
        return endpoint == null || endpoint.isBlank() ? "AWS (no fs.s3a.endpoint set)" : endpoint;
    }

    private static boolean fromS3a(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String name = t.getClass().getName();
            if (name.startsWith("org.apache.hadoop.fs.s3a.") || name.startsWith("software.amazon.awssdk.")) {
                return true;
            }
        }
        return false;
    }

    private static boolean has(Throwable e, String className) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getName().equals(className)) {
                return true;
            }
        }
        return false;
    }

    /** S3A appends S3's error code to its messages after a colon: {@code ...(SDK Attempt Count: 1):AccessDenied}. */
    private static boolean hasCode(String messages, String code) {
        return Pattern.compile(":" + code + "\\b").matcher(messages).find();
    }

    private static String chainMessages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    /** The innermost message: what the socket said ("Connection refused"), without the SDK's wrapping. */
    private static String rootMessage(Throwable t) {
        Throwable inner = t;
        while (inner.getCause() != null && inner.getCause() != inner) {
            inner = inner.getCause();
        }
        return firstLine(inner);
    }

    private static String firstLine(Throwable t) {
        String m = String.valueOf(t.getMessage());
        int cut = m.indexOf('\n');
        return (cut < 0 ? m : m.substring(0, cut)).trim();
    }
}
