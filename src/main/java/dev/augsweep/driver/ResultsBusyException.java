package dev.augsweep.driver;

/**
 * A results directory that another driver holds: found busy when a driver starts, or taken over (a driver that
 * could not renew its lease for long enough looked dead) while one runs. Its message says who holds it and what to do.
 */
public final class ResultsBusyException extends RuntimeException {
    public ResultsBusyException(String message) {
        super(message);
    }
}
