package dev.augsweep.report;

import dev.augsweep.config.Fractions;
import dev.augsweep.data.Dataset;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * The concentration measure of a dataset's settings, as tables show it beside accuracy: 1 - sigma at each delta
 * quantile of the most recent recipe measured on that dataset (its rows of the {@code concentration} view).
 */
public record ConcentrationMeasure(String recipe, List<Double> quantiles, Map<String, double[]> oneMinusSigma,
                                   Map<String, boolean[]> exact) {
    /** The latest recipe's rows for {@code dataset}, or null when it was not measured. */
    public static ConcentrationMeasure of(org.apache.spark.sql.Dataset<Row> concentration, Dataset dataset) {
        if (concentration == null) {
            return null;
        }
        org.apache.spark.sql.Dataset<Row> rows = concentration.where("dataset = '" + dataset.key() + "'");
        List<Row> latest = rows.orderBy(rows.col("measured_at").desc()).select("recipe").limit(1).collectAsList();
        if (latest.isEmpty()) {
            return null;
        }
        String recipe = latest.get(0).getString(0);
        List<Double> quantiles = new ArrayList<>();
        Map<String, double[]> values = new LinkedHashMap<>();
        Map<String, boolean[]> exact = new LinkedHashMap<>();
        List<Row> measured = rows.where("recipe = '" + recipe + "'").orderBy("delta_quantile").collectAsList();
        measured.stream().map(r -> r.<Double>getAs("delta_quantile")).distinct().forEach(quantiles::add);
        for (Row r : measured) {
            String key = key(r.getAs("augs"), r.<Double>getAs("strength"));
            int q = quantiles.indexOf(r.<Double>getAs("delta_quantile"));
            values.computeIfAbsent(key, k -> new double[quantiles.size()])[q] = r.<Double>getAs("one_minus_sigma");
            exact.computeIfAbsent(key, k -> new boolean[quantiles.size()])[q] = r.<Boolean>getAs("exact");
        }
        return new ConcentrationMeasure(recipe, quantiles, values, exact);
    }

    /** How a setting is named: letters, or color and its strength. */
    public static String key(String augs, double strength) {
        return augs.equals("color") ? "color " + Fractions.format(strength) : augs;
    }

    public List<String> headers() {
        return quantiles.stream().map(q -> "1-σ " + quantile(q)).toList();
    }

    /** A delta quantile as every header and line writes it, in decimals: q0.05, q0.1, q0.25. */
    static String quantile(double q) {
        return "q" + BigDecimal.valueOf(q).stripTrailingZeros().toPlainString();
    }
}
