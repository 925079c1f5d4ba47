package dev.augsweep.report;

import dev.augsweep.data.Dataset;
import java.util.Locale;

/**
 * What makes accuracies comparable: trials of different datasets, scales or releases never share a cell.
 *
 * @param variant the settings beyond the table's rows that tell this table's cells from another's at the same
 *                scale ("lr=0.03" for a grid over lr; empty when the scale's cells differ in nothing else)
 */
public record Scale(Dataset dataset, int epochs, double width, int trainLimit, int testLimit, int batchSize,
                    int release, String variant) {
    public String describe() {
        return String.format(Locale.ROOT, "%s, %d epochs, width %s, %d train / %d test images, batch %d, release %d",
                dataset == Dataset.CIFAR10 ? "CIFAR-10" : "CIFAR-100", epochs, width, trainLimit, testLimit,
                batchSize, release) + (variant.isEmpty() ? "" : ", " + variant);
    }

    /** The same scale with the other settings its cells were told apart by. */
    public Scale withVariant(String v) {
        return new Scale(dataset, epochs, width, trainLimit, testLimit, batchSize, release, v);
    }
}
