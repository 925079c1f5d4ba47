package dev.augsweep.results;

/**
 * What a writer of the results tables checks before each commit: that it may still write them. The driver passes
 * its lease's check down (a driver commits only while it holds the highest generation); readers and tests write
 * unguarded ({@link #NONE}).
 */
@FunctionalInterface
public interface CommitGuard {
    CommitGuard NONE = () -> {
    };

    /**
     * Returns when a commit may go ahead. Throws {@link Refused} when this writer must never commit again (another
     * driver holds the results now); any other exception means not now (the store did not answer), try later.
     */
    void check();

    /** This writer lost the right to commit, for good; the message says why and who holds it now. */
    final class Refused extends RuntimeException {
        public Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
