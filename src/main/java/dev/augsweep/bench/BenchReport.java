package dev.augsweep.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import dev.augsweep.data.CifarData;
import dev.augsweep.report.AsciiTable;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Runs every measurement against its goal (issue #6) and the PyTorch peer, measured in the same run. */
public final class BenchReport {
    private BenchReport() {
    }

    /** The measures {@code --only} can pick, in the order they run. */
    public static final List<String> SECTIONS = List.of("train", "augment", "epoch", "knn", "sweep", "memory");

    public static List<Measure> run(CifarData data, int threads, int reps, Set<String> only, PrintStream out) {
        Config peer = null;
        if (only.contains("train") || only.contains("augment")) {
            out.println("peer: PyTorch + torchvision (Debian), " + threads + " threads ...");
            peer = PeerBenchmark.run(threads, 256, reps, out);
        }
        Benchmarks b = new Benchmarks(out, data, threads, reps);
        List<Measure> measures = new ArrayList<>();
        Double stepW025 = null;
        if (only.contains("train")) {
            for (double width : new double[] {1.0, 0.25}) {
                String key = width == 1.0 ? "train_w1" : "train_w025";
                out.printf(Locale.ROOT, "training step, width %s, batch 256 ...%n", width);
                double ours = b.trainStep(width, 256);
                measures.add(vsPeer(key, ours, "images/s", peer == null ? null : peer.getDouble(key), 1.25,
                        "≥ 1.25× PyTorch"));
                // Informational: the peer with channels-last tensors, the layout we train in (no goal).
                if (peer != null && peer.hasPath(key + "_channels_last")) {
                    double cl = peer.getDouble(key + "_channels_last");
                    measures.add(new Measure(key + "_vs_peer_channels_last", ours, "images/s", cl, ours / cl,
                            "none (PyTorch given channels-last too)", null));
                }
                stepW025 = ours;
            }
        }
        if (only.contains("augment")) {
            out.println("augmentation, 1 thread ...");
            double views = b.augmentViewsPerCore();
            measures.add(vsPeer("augment_views_per_core", views, "views/s", peer == null ? null
                    : peer.getDouble("augment_views_per_core"), 10, "≥ 10× torchvision"));
        }
        if (only.contains("epoch")) {
            out.println("whole epoch vs training step, width 0.25 ...");
            double step = stepW025 != null ? stepW025 : b.trainStep(0.25, 256);
            double epoch = b.epochImagesPerSecond(256);
            measures.add(new Measure("epoch_vs_step", epoch, "images/s", null, epoch / step,
                    "≥ 0.90 of the pure step's " + String.format(Locale.ROOT, "%.1f", step) + " images/s",
                    epoch / step >= 0.9));
        }
        if (only.contains("knn")) {
            out.println("kNN on 50,000 x 10,000, 512-d ...");
            double[] knn = b.knnSeconds();
            measures.add(new Measure("knn_seconds", knn[0], "s", null, knn[0] / knn[1],
                    "≤ 1.5× the bare product + top-k (" + String.format(Locale.ROOT, "%.2f s", knn[1]) + ")",
                    knn[0] / knn[1] <= 1.5));
        }
        if (only.contains("sweep")) {
            out.println("sweep overhead (local Spark) ...");
            double[] sweep = b.sweepOverhead();
            measures.add(new Measure("sweep_overhead_per_trial", sweep[0], "s", null, sweep[0] / sweep[1],
                    "< 2% of a smoke trial (" + String.format(Locale.ROOT, "%.1f s", sweep[1]) + ")",
                    sweep[0] / sweep[1] < 0.02));
            measures.add(new Measure("sweep_overhead_fixed", sweep[2], "s", null, null,
                    "none (once per sweep: Spark, tables, summary)", null));
        }
        if (only.contains("memory")) {
            out.println("resident memory over 10 epochs (a fresh JVM) ...");
            double[] rss = b.residentPerEpoch();
            double growth = rss[rss.length - 1] / rss[1];
            measures.add(new Measure("resident_mb_epoch10", rss[rss.length - 1], "MB", null, growth,
                    "within 5% of epoch 2 (" + String.format(Locale.ROOT, "%.0f MB", rss[1]) + ")", growth <= 1.05));
        }
        return measures;
    }

    private static Measure vsPeer(String name, double ours, String unit, Double peer, double goal, String words) {
        Double ratio = peer == null ? null : ours / peer;
        return new Measure(name, ours, unit, peer, ratio, words, ratio == null ? null : ratio >= goal);
    }

    public static String table(List<Measure> measures) {
        List<List<String>> rows = new ArrayList<>();
        for (Measure m : measures) {
            rows.add(List.of(m.name(), String.format(Locale.ROOT, "%.2f %s", m.value(), m.unit()),
                    m.peer() == null ? "" : String.format(Locale.ROOT, "%.2f", m.peer()),
                    m.ratio() == null ? "" : String.format(Locale.ROOT, "%.2f", m.ratio()), m.goal(),
                    m.met() == null ? (m.goal().startsWith("none") ? "" : "no peer") : m.met() ? "yes" : "NO"));
        }
        return AsciiTable.render(List.of("measure", "ours", "peer", "ratio", "goal", "met"), rows);
    }

    public static String json(List<Measure> measures) {
        Map<String, Object> all = new LinkedHashMap<>();
        measures.forEach(m -> all.put(m.name(), m.json()));
        return ConfigValueFactory.fromMap(all).render(ConfigRenderOptions.concise().setFormatted(true)) + "\n";
    }
}
