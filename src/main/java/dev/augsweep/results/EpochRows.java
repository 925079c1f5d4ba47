package dev.augsweep.results;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One trial's rows of the epochs table held compactly in memory (columns of primitives; a missing value NaN or
 * absent), for readers that keep every trial's curves at hand: a dashboard over 10,000 trials of 27 epochs holds
 * 270,000 rows. {@link #rows()} gives them back in the table's shape, in epoch order.
 */
public final class EpochRows {
    /** The columns of a trial's epoch (the epochs table's, less the trial's keys), in the table's order. */
    public static final List<String> COLUMNS = List.of("epoch", "loss", "knn_top1", "lr", "train_seconds",
            "eval_seconds", "images_per_second", "resumed", "cpu_model", "kernels");
    public static final EpochRows NONE = new EpochRows(new int[0], new double[6][0], new byte[0], new String[0],
            new String[0]);
    private static final List<String> NUMBERS = COLUMNS.subList(1, 7);

    private final int[] epoch;
    /** loss, knn_top1, lr, train_seconds, eval_seconds, images_per_second; NaN where null. */
    private final double[][] numbers;
    /** 1 true, 0 false, -1 null. */
    private final byte[] resumed;
    private final String[] cpuModel;
    private final String[] kernels;

    private EpochRows(int[] epoch, double[][] numbers, byte[] resumed, String[] cpuModel, String[] kernels) {
        this.epoch = epoch;
        this.numbers = numbers;
        this.resumed = resumed;
        this.cpuModel = cpuModel;
        this.kernels = kernels;
    }

    /** From rows keyed by column name (an outcome's epochs, or a table's rows as maps), sorted by epoch. */
    public static EpochRows of(Collection<? extends Map<String, ?>> rows) {
        List<Map<String, ?>> sorted = new ArrayList<>(rows);
        sorted.removeIf(r -> !(r.get("epoch") instanceof Number));
        sorted.sort((a, b) -> Integer.compare(((Number) a.get("epoch")).intValue(), ((Number) b.get("epoch")).intValue()));
        int n = sorted.size();
        int[] epoch = new int[n];
        double[][] numbers = new double[NUMBERS.size()][n];
        byte[] resumed = new byte[n];
        String[] cpu = new String[n];
        String[] kernels = new String[n];
        for (int i = 0; i < n; i++) {
            Map<String, ?> r = sorted.get(i);
            epoch[i] = ((Number) r.get("epoch")).intValue();
            for (int c = 0; c < NUMBERS.size(); c++) {
                Object v = r.get(NUMBERS.get(c));
                numbers[c][i] = v instanceof Number x ? x.doubleValue() : Double.NaN;
            }
            Object res = r.get("resumed");
            resumed[i] = res instanceof Boolean b ? (byte) (b ? 1 : 0) : -1;
            cpu[i] = intern(r.get("cpu_model"));
            kernels[i] = intern(r.get("kernels"));
        }
        return new EpochRows(epoch, numbers, resumed, cpu, kernels);
    }

    /** The same text repeats on every epoch of every trial: one copy of it. */
    private static String intern(Object v) {
        return v == null ? null : v.toString().intern();
    }

    public int size() {
        return epoch.length;
    }

    /** The rows, in epoch order: each column of {@link #COLUMNS}, null where the table has none. */
    public List<Map<String, Object>> rows() {
        List<Map<String, Object>> out = new ArrayList<>(epoch.length);
        for (int i = 0; i < epoch.length; i++) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("epoch", epoch[i]);
            for (int c = 0; c < NUMBERS.size(); c++) {
                r.put(NUMBERS.get(c), Double.isNaN(numbers[c][i]) ? null : numbers[c][i]);
            }
            r.put("resumed", resumed[i] < 0 ? null : resumed[i] == 1);
            r.put("cpu_model", cpuModel[i]);
            r.put("kernels", kernels[i]);
            out.add(r);
        }
        return out;
    }

    @Override
    public String toString() {
        return "EpochRows" + Arrays.toString(epoch);
    }
}
