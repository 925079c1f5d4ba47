package dev.augsweep.ui;

import dev.augsweep.results.ResultsLayout;
import dev.augsweep.results.ResultsStore;
import dev.augsweep.storage.StorePath;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A results directory as a sampled search of many trials leaves it, written straight into its Delta tables (seconds,
 * where running them through the driver takes minutes): two seeds per sampled cell, ASHA at epochs 1 and 3 of 9
 * (two thirds of the cells stopped at 1, two ninths at 3), a few failures. It holds the escaping cases: a trial and a
 * sampled setting named {@code <script>alert(1)</script>}, a sweep name and a sampled choice with markup, a failure
 * reason with a tag.
 */
final class SimulatedResults {
    static final String XSS = "<script>alert(1)</script>";
    static final String SWEEP = "search-10k <img src=x onerror=\"alert(2)\"> & co";
    static final String HOSTILE_CHOICE = "<img src=x onerror=\"alert(3)\">";
    static final String REASON = "<b>native crash</b> in libtorch_cuda.so (SIGSEGV) & the executor restarted";
    private static final String SPACE = "{\"lr\":\"loguniform(0.01, 1.0)\",\"strength\":\"uniform(0.1, 1.0)\","
            + "\"" + XSS.replace("/", "\\/") + "\":\"intrange(1, 9)\",\"layout\":\"choice(nchw, "
            + HOSTILE_CHOICE.replace("\"", "\\\"") + ")\"}";
    private static final long START = Timestamp.valueOf("2026-12-07 06:00:00").getTime();

    private SimulatedResults() {
    }

    /**
     * Writes {@code trials} trials (an even number) and their epochs under {@code dir} with {@code spark}; returns the
     * directory.
     */
    static Path write(SparkSession spark, Path dir, int trials) {
        List<Row> trialRows = new ArrayList<>();
        List<Row> epochRows = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(7);
        int samples = trials / 2;
        double[] quality = new double[samples];
        List<Map<String, Object>> cells = new ArrayList<>();
        for (int s = 0; s < samples; s++) {
            double lr = round4(Math.exp(Math.log(0.01) + random.nextDouble() * Math.log(100)));
            double strength = round4(0.1 + 0.9 * random.nextDouble());
            int odd = 1 + random.nextInt(9);
            String layout = s == 7 ? HOSTILE_CHOICE : random.nextBoolean() ? "nchw" : "channels-last";
            quality[s] = 60 - 25 * Math.pow(Math.log10(lr / 0.1), 2) + 12 * strength + 0.2 * odd;
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("lr", lr);
            c.put("strength", strength);
            c.put(XSS, (double) odd);
            c.put("layout", layout);
            c.put("quality", quality[s]);
            cells.add(c);
        }
        double[] sorted = quality.clone();
        java.util.Arrays.sort(sorted);
        double cut1 = sorted[samples * 2 / 3];
        double cut3 = sorted[samples * 8 / 9];
        long[] slots = new long[16]; // the trials ran 16 at a time
        java.util.Arrays.fill(slots, START);
        for (int s = 0; s < samples; s++) {
            Map<String, Object> c = cells.get(s);
            double q = (Double) c.get("quality");
            int fate = q < cut1 ? 1 : q < cut3 ? 3 : 9;
            String cellId = String.format(Locale.ROOT, "simclr-abcde-lr%s-s%s-%05d", c.get("lr"), c.get("strength"), s);
            for (int seed = 0; seed < 2; seed++) {
                int index = 2 * s + seed;
                String id = s == 7 && seed == 0 ? XSS : String.format(Locale.ROOT, "simclr-abcde-%05d-seed%d-%08x", s,
                        seed, (index * 2654435761L) & 0xffffffffL);
                boolean failed = random.nextDouble() < 0.015 && !id.equals(XSS);
                int done = failed ? random.nextInt(fate) : fate;
                double init = 10 + random.nextGaussian() * 0.5;
                double best = Double.NaN;
                int bestEpoch = 0;
                double lossFirst = Double.NaN;
                double lossLast = Double.NaN;
                for (int e = 0; e <= done; e++) {
                    double knn = e == 0 ? init : init + (q - init) * (1 - Math.exp(-e / 3.0)) + random.nextGaussian() * 0.4;
                    Double loss = e == 0 ? null : 5.5 * Math.exp(-e / 6.0) + 3 - q / 100 + random.nextGaussian() * 0.02;
                    if (e > 0 && (Double.isNaN(best) || knn > best)) {
                        best = knn;
                        bestEpoch = e;
                    }
                    if (loss != null) {
                        lossFirst = Double.isNaN(lossFirst) ? loss : lossFirst;
                        lossLast = loss;
                    }
                    epochRows.add(RowFactory.create(id, cellId, SWEEP, e, loss, knn, e == 0 ? null : 0.06, e == 0 ? null
                            : 11.5, 1.2, e == 0 ? null : 4300.0, false, "Intel Xeon Platinum 8480+", e == 0 ? null
                            : "cuDNN 9.1.0, TF32 off"));
                }
                int slot = 0;
                for (int k = 1; k < slots.length; k++) {
                    slot = slots[k] < slots[slot] ? k : slot;
                }
                long started = slots[slot] + 500;
                long finished = started + 2_000 + done * 12_000L;
                slots[slot] = finished;
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("trial_id", id);
                r.put("cell_id", cellId);
                r.put("sweep", SWEEP);
                r.put("job_file", "jobs/search-10k.conf");
                r.put("status", failed ? "failed" : fate == 9 ? "finished" : "stopped");
                r.put("reason", failed ? REASON : fate == 9 ? null : "stopped by the schedule at epoch " + fate);
                r.put("dataset", "cifar10");
                r.put("method", "simclr");
                r.put("augs", "abcde");
                r.put("strength", c.get("strength"));
                r.put("seed", seed);
                r.put("release", 2022);
                r.put("epochs", 9);
                r.put("batch_size", 512);
                r.put("width", 1.0);
                r.put("train_limit", 50_000);
                r.put("test_limit", 10_000);
                r.put("lr", c.get("lr"));
                r.put("epochs_done", done);
                r.put("knn_top1_best", failed || done == 0 ? null : best);
                r.put("knn_top1_init", init);
                r.put("best_epoch", failed || done == 0 ? null : bestEpoch);
                r.put("seconds", done * 12.0);
                r.put("images_per_second", done == 0 ? null : 4300.0 + (index % 16) * 10);
                r.put("device", "cuda(" + (index % 4) + ")");
                r.put("host", "node-0" + (index / 4 % 4 + 1));
                r.put("gpu_name", "NVIDIA H100 80GB HBM3");
                r.put("loss_first_epoch", Double.isNaN(lossFirst) ? null : lossFirst);
                r.put("loss_final_epoch", Double.isNaN(lossLast) ? null : lossLast);
                r.put("started_at", new Timestamp(started));
                r.put("finished_at", new Timestamp(finished));
                r.put("sample", s);
                r.put("sampled", Map.of("lr", c.get("lr"), "strength", c.get("strength"), XSS, c.get(XSS)));
                r.put("sampled_choices", Map.of("layout", c.get("layout")));
                r.put("search_space", SPACE);
                r.put("schema_version", ResultsStore.SCHEMA_VERSION);
                r.put("settings", "{\"lr\":" + c.get("lr") + ",\"note\":\"" + XSS.replace("/", "\\/") + "\"}");
                trialRows.add(row(ResultsStore.TRIALS, r));
            }
        }
        ResultsLayout layout = new ResultsLayout(StorePath.local(dir));
        spark.createDataFrame(trialRows, ResultsStore.TRIALS).coalesce(1).write().format("delta")
                .save(layout.table("trials").toString());
        spark.createDataFrame(epochRows, ResultsStore.EPOCHS).coalesce(1).write().format("delta")
                .save(layout.table("epochs").toString());
        return dir;
    }

    private static Row row(StructType schema, Map<String, Object> values) {
        Object[] v = new Object[schema.size()];
        StructField[] fields = schema.fields();
        for (int i = 0; i < fields.length; i++) {
            Object x = values.get(fields[i].name());
            v[i] = x instanceof Map<?, ?> m ? scala.jdk.javaapi.CollectionConverters.asScala(m) : x;
        }
        return RowFactory.create(v);
    }

    private static double round4(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).doubleValue();
    }
}
