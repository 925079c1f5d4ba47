package dev.augsweep.results;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The concentration measure's Delta table: where `augsweep concentration` records it and where reports and SQL
 * read it, so that neither reaches into the other.
 */
public final class ConcentrationTable {
    /** The Delta table and SQL view of measured settings: one row per recipe, setting and delta. */
    public static final String TABLE = "concentration";
    /** A row per recipe, setting and delta quantile. */
    public static final List<String> KEYS = List.of("recipe", "setting", "delta_quantile");
    public static final StructType SCHEMA = new StructType()
            .add("recipe", DataTypes.StringType, false)
            .add("sweep", DataTypes.StringType)
            .add("dataset", DataTypes.StringType)
            .add("setting", DataTypes.StringType)
            .add("augs", DataTypes.StringType)
            .add("strength", DataTypes.DoubleType)
            .add("delta_quantile", DataTypes.DoubleType)
            .add("delta", DataTypes.DoubleType)
            .add("one_minus_sigma", DataTypes.DoubleType)
            .add("one_minus_sigma_mean", DataTypes.DoubleType)
            .add("worst_class", DataTypes.IntegerType)
            .add("exact", DataTypes.BooleanType)
            .add("sigma_per_class", DataTypes.StringType) // per class, in class order, separated by spaces
            .add("classes", DataTypes.IntegerType)
            .add("images_per_class", DataTypes.IntegerType)
            .add("views", DataTypes.IntegerType)
            .add("space", DataTypes.StringType)
            .add("seed", DataTypes.LongType)
            .add("seconds", DataTypes.DoubleType)
            .add("measured_at", DataTypes.TimestampType);

    private ConcentrationTable() {
    }
}
