package dev.augsweep.ui;

/** A request the API refuses: its HTTP status and one line saying what is wrong (shown on the page as text). */
final class ApiError extends RuntimeException {
    final int status;

    ApiError(int status, String message) {
        super(message);
        this.status = status;
    }
}
