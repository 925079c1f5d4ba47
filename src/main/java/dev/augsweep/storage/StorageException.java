package dev.augsweep.storage;


/**
 * A results store or data location that failed. Where the cause is one a user can act on (an unreachable or unknown
 * host, a port that is not HDFS, a permission, a quota), {@link #userMessage()} says, in one line, which path, what
 * happened and what to do; otherwise it is null and the failure is reported with its stack trace, as a bug would be.
 */
public final class StorageException extends RuntimeException {
    private final String userMessage;

    StorageException(String message, String userMessage, Throwable cause) {
        super(message, cause);
        this.userMessage = userMessage;
    }

    /** The line to show the user, or null where the cause is not one a user can act on. */
    public String userMessage() {
        return userMessage;
    }
}
