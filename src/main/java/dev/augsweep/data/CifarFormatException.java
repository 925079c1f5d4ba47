package dev.augsweep.data;

/** A CIFAR-10 file or archive that is not in the official binary layout; the message names file and offset. */
public final class CifarFormatException extends RuntimeException {
    public CifarFormatException(String message) {
        super(message);
    }

    public CifarFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
