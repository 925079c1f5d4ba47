package dev.augsweep.sweep;

import dev.augsweep.config.InvalidConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Delta tables under a results directory (tables/NAME): created with their schema before any append
 * (concurrent first writes would race), refused when an older version of augsweep wrote them without some column,
 * appended to as rows of named values.
 */
public final class DeltaTables {
    private final SparkSession spark;
    private final ResultsLayout layout;

    public DeltaTables(SparkSession spark, ResultsLayout layout) {
        this.spark = spark;
        this.layout = layout;
    }

    public void create(String table, StructType schema) {
        create(table, schema, Set.of());
    }

    /**
     * @param addedLater columns a later version added: a table without them (written before) gains them, empty
     *                   for the rows it holds; a table lacking any other column is refused
     */
    public void create(String table, StructType schema, Set<String> addedLater) {
        String path = layout.table(table).toString();
        spark.sql("CREATE TABLE IF NOT EXISTS delta.`" + path + "` (" + schema.toDDL() + ") USING delta");
        StructType actual = spark.read().format("delta").load(path).schema();
        List<String> missing = new ArrayList<>();
        List<String> added = new ArrayList<>();
        for (StructField f : schema.fields()) {
            if (actual.getFieldIndex(f.name()).isEmpty()) {
                (addedLater.contains(f.name()) ? added : missing).add(f.name());
            }
        }
        if (missing.isEmpty() && !added.isEmpty()) {
            List<String> ddl = added.stream().map(c -> schema.apply(c).toDDL()).toList();
            spark.sql("ALTER TABLE delta.`" + path + "` ADD COLUMNS (" + String.join(", ", ddl) + ")");
        }
        if (!missing.isEmpty()) {
            throw new InvalidConfigException(path, List.of("results table " + path + " was written by another "
                    + "version of augsweep (it lacks columns " + missing + "); use a new --results directory, or "
                    + "keep this one for reading and rerun the sweep elsewhere"));
        }
    }

    public Dataset<Row> read(String table) {
        return spark.read().format("delta").load(layout.table(table).toString());
    }

    /** One Delta transaction with every row (values by column name; missing ones are null). */
    public void append(String table, StructType schema, List<Map<String, Object>> rows) {
        if (rows.isEmpty()) {
            return;
        }
        List<Row> data = new ArrayList<>();
        for (Map<String, Object> m : rows) {
            Object[] values = new Object[schema.fields().length];
            for (int i = 0; i < values.length; i++) {
                StructField f = schema.fields()[i];
                values[i] = coerce(m.get(f.name()), f.dataType());
            }
            data.add(RowFactory.create(values));
        }
        spark.createDataFrame(data, schema).write().format("delta").mode("append").save(layout.table(table).toString());
    }

    private static Object coerce(Object v, DataType type) {
        if (v == null) {
            return null;
        }
        if (type == DataTypes.IntegerType) {
            return ((Number) v).intValue();
        }
        if (type == DataTypes.LongType) {
            return ((Number) v).longValue();
        }
        if (type == DataTypes.DoubleType) {
            return ((Number) v).doubleValue();
        }
        if (type == DataTypes.BooleanType || type == DataTypes.TimestampType) {
            return v;
        }
        return v.toString();
    }
}
