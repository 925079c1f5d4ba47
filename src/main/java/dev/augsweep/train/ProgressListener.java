package dev.augsweep.train;

/** Receives a trial's progress; the console prints it, a Spark task logs it to the executor log. */
public interface ProgressListener {
    default void started(String trialId, int startEpoch, int epochs, int stepsPerEpoch, String device,
                         boolean resumed) {
    }

    /** Called now and then during a long epoch. */
    default void step(int epoch, int step, int steps, double meanLoss, double imagesPerSecond) {
    }

    /** After each epoch; {@code best} is the epoch of the best kNN so far, null before the first evaluation. */
    void epoch(EpochMetrics metrics, int epochs, EpochMetrics best, double etaSeconds);

    default void message(String text) {
    }

    /**
     * What is the same for every trial of a sweep on this device (where it trains and why): a sweep's driver says
     * each such line once, not once per trial; alone, it is a message.
     */
    default void once(String text) {
        message(text);
    }
}
