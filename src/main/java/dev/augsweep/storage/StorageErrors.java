package dev.augsweep.storage;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
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
     * One line for the user about {@code e} on {@code location} (null where not known), or null when the cause is
     * not one a user can act on.
     */
    public static String explain(String location, URI uri, Throwable e) {
        String where = location == null ? "the results store" : location;
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

    private static String firstLine(Throwable t) {
        String m = String.valueOf(t.getMessage());
        int cut = m.indexOf('\n');
        return (cut < 0 ? m : m.substring(0, cut)).trim();
    }
}
