package dev.augsweep.driver;

/**
 * Spark was stopped under a running driver (a kill, a cluster manager ending the application, Ctrl-C's hook): nothing
 * failed, the units queued or running stay unrecorded, and the same command goes on from their checkpoints. Its
 * message says so in one line; what else broke while Spark stopped (a commit cut short) is only suppressed detail.
 */
public final class SparkShutDownException extends IllegalStateException {
    public SparkShutDownException(String message) {
        super(message);
    }
}
