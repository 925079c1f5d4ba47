package dev.augsweep.report;

import java.util.Locale;

/** What makes accuracies comparable: trials at different scales or releases never share a cell. */
public record Scale(int epochs, double width, int trainLimit, int testLimit, int batchSize, int release) {
    public String describe() {
        return String.format(Locale.ROOT, "%d epochs, width %s, %d train / %d test images, batch %d, release %d",
                epochs, width, trainLimit, testLimit, batchSize, release);
    }
}
