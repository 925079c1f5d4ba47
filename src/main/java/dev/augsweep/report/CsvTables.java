package dev.augsweep.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Results tables as one CSV file each (NAME.csv, a header line, the table's own schema), small enough for git:
 * the form of a shipped snapshot, read back with the schema so that every query sees the same types as on Delta.
 */
public final class CsvTables {
    private CsvTables() {
    }

    public static Path file(Path dir, String table) {
        return dir.resolve(table + ".csv");
    }

    /**
     * Writes the rows of {@code table} in the schema's column order, sorted by every column in that order so that
     * exporting the same results twice gives the same file (a git diff shows only what changed).
     */
    public static Path write(Dataset<Row> table, StructType schema, Path dir, String name) {
        List<String> columns = List.of(schema.fieldNames());
        StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
        // Maps (a search's sampled settings) as JSON: CSV has no map type.
        Dataset<Row> ordered = table.select(columns.stream().map(c -> schema.apply(c).dataType() instanceof MapType
                        ? functions.to_json(table.col(c)).as(c) : table.col(c)).toArray(org.apache.spark.sql.Column[]::new))
                .orderBy(columns.get(0), columns.subList(1, columns.size()).toArray(String[]::new));
        for (Row r : ordered.collectAsList()) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
                cells.add(cell(r.get(i)));
            }
            sb.append(String.join(",", cells)).append('\n');
        }
        try {
            Files.createDirectories(dir);
            return Files.writeString(file(dir, name), sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file(dir, name), e);
        }
    }

    /**
     * The file's columns by its header line, typed by {@code schema}; columns a snapshot of an older version lacks
     * are added empty, so every query sees the current schema.
     */
    public static Dataset<Row> read(SparkSession spark, Path dir, String name, StructType schema) {
        List<String> header;
        try (var lines = Files.lines(file(dir, name))) {
            header = List.of(lines.findFirst().orElse("").split(",", -1));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file(dir, name), e);
        }
        StructType inFile = new StructType();
        for (String column : header) {
            DataType type = schema.getFieldIndex(column).isDefined() ? schema.apply(column).dataType() : DataTypes.StringType;
            inFile = inFile.add(column, type instanceof MapType ? DataTypes.StringType : type, true);
        }
        Dataset<Row> table = spark.read().option("header", "true").option("escape", "\"").option("mode", "FAILFAST")
                .schema(inFile).csv(file(dir, name).toString());
        for (StructField f : schema.fields()) {
            if (f.dataType() instanceof MapType && header.contains(f.name())) {
                table = table.withColumn(f.name(), functions.from_json(table.col(f.name()), f.dataType()));
            }
        }
        return withSchema(table, schema);
    }

    /** The table with {@code schema}'s columns in its order, those it lacks as nulls of their type. */
    public static Dataset<Row> withSchema(Dataset<Row> table, StructType schema) {
        List<String> present = List.of(table.columns());
        org.apache.spark.sql.Column[] columns = new org.apache.spark.sql.Column[schema.fields().length];
        for (int i = 0; i < columns.length; i++) {
            StructField f = schema.fields()[i];
            columns[i] = present.contains(f.name()) ? table.col(f.name())
                    : org.apache.spark.sql.functions.lit(null).cast(f.dataType()).as(f.name());
        }
        return table.select(columns);
    }

    private static String cell(Object v) {
        if (v == null) {
            return "";
        }
        String s = v instanceof Double d ? String.format(Locale.ROOT, "%s", d) : v.toString();
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
