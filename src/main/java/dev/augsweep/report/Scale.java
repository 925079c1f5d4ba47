package dev.augsweep.report;

import dev.augsweep.data.Dataset;
import java.util.Locale;

/** What makes accuracies comparable: trials of different datasets, scales or releases never share a cell. */
public record Scale(Dataset dataset, int epochs, double width, int trainLimit, int testLimit, int batchSize,
                    int release) {
    public String describe() {
        return String.format(Locale.ROOT, "%s, %d epochs, width %s, %d train / %d test images, batch %d, release %d",
                dataset == Dataset.CIFAR10 ? "CIFAR-10" : "CIFAR-100", epochs, width, trainLimit, testLimit,
                batchSize, release);
    }
}
