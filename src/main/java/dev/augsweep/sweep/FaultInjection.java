package dev.augsweep.sweep;

import dev.augsweep.train.EpochMetrics;
import dev.augsweep.train.ProgressListener;
import org.apache.spark.TaskContext;

/**
 * Fault injection for the retry and resume tests: with {@code -Daugsweep.fault.crash-after-epoch=N} the first
 * attempt of every task dies right after epoch N's checkpoint, as a lost executor would. Off unless set.
 */
final class FaultInjection {
    static final String PROPERTY = "augsweep.fault.crash-after-epoch";

    private FaultInjection() {
    }

    static ProgressListener wrap(ProgressListener inner) {
        Integer crashAfter = Integer.getInteger(PROPERTY);
        if (crashAfter == null) {
            return inner;
        }
        return new ProgressListener() {
            @Override
            public void started(String id, int start, int epochs, int steps, String device, boolean resumed) {
                inner.started(id, start, epochs, steps, device, resumed);
            }

            @Override
            public void step(int epoch, int step, int steps, double loss, double imagesPerSecond) {
                inner.step(epoch, step, steps, loss, imagesPerSecond);
            }

            @Override
            public void epoch(EpochMetrics m, int epochs, double best, int bestEpoch, double eta) {
                inner.epoch(m, epochs, best, bestEpoch, eta);
                TaskContext task = TaskContext.get();
                if (m.epoch() == crashAfter && task != null && task.attemptNumber() == 0) {
                    throw new IllegalStateException("injected fault: task attempt 0 dies after epoch " + crashAfter);
                }
            }

            @Override
            public void message(String text) {
                inner.message(text);
            }
        };
    }
}
