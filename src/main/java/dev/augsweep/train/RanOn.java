package dev.augsweep.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where an epoch was computed: the CPU model of the process and the kernels its convolutions ran on. A trial resumed
 * on another machine, or on kernels the guard chose differently there, has epochs that say so.
 *
 * @param cpuModel the CPU's model name, null where unknown
 * @param kernels  {@code cuda} on a GPU; on a CPU the kernel guard's choice ({@code oneDNN}, {@code oneDNN AVX2},
 *                 {@code libtorch native}); null for epochs recorded before augsweep kept it
 */
public record RanOn(String cpuModel, String kernels) {
    public static final RanOn UNRECORDED = new RanOn(null, null);

    /** Consecutive epochs on the same machine and kernels, as "1-4 AMD EPYC, libtorch native; 5-24 ...". */
    public static String spans(List<EpochMetrics> epochs) {
        List<String> spans = new ArrayList<>();
        int first = 0;
        for (int i = 1; i <= epochs.size(); i++) {
            if (i == epochs.size() || !Objects.equals(epochs.get(i).ranOn(), epochs.get(first).ranOn())) {
                EpochMetrics a = epochs.get(first);
                EpochMetrics b = epochs.get(i - 1);
                spans.add((a.epoch() == b.epoch() ? "" + a.epoch() : a.epoch() + "-" + b.epoch()) + " "
                        + a.ranOn().describe());
                first = i;
            }
        }
        return String.join("; ", spans);
    }

    /** The CPU models of the epochs, each once in order of first use, joined by " + "; null if none is known. */
    public static String models(List<EpochMetrics> epochs) {
        List<String> models = epochs.stream().map(e -> e.ranOn().cpuModel()).filter(Objects::nonNull).distinct()
                .toList();
        return models.isEmpty() ? null : String.join(" + ", models);
    }

    String describe() {
        return (cpuModel == null ? "unknown CPU" : cpuModel) + ", " + (kernels == null ? "kernels unrecorded"
                : kernels);
    }
}
