package dev.augsweep.train;

/** The loss stopped being a finite number: the trial cannot recover and is recorded as failed. */
public final class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
