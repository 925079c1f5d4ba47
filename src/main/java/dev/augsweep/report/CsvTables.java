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

    /** Writes the rows of {@code table}, ordered by its first columns, in the schema's column order. */
    public static Path write(Dataset<Row> table, StructType schema, Path dir, String name) {
        List<String> columns = List.of(schema.fieldNames());
        StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
        Dataset<Row> ordered = table.select(columns.stream().map(table::col).toArray(org.apache.spark.sql.Column[]::new))
                .orderBy(columns.get(0), columns.subList(1, Math.min(3, columns.size())).toArray(String[]::new));
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

    public static Dataset<Row> read(SparkSession spark, Path dir, String name, StructType schema) {
        StructType nullable = new StructType();
        for (StructField f : schema.fields()) {
            nullable = nullable.add(f.name(), f.dataType(), true);
        }
        return spark.read().option("header", "true").option("escape", "\"").option("mode", "FAILFAST").schema(nullable)
                .csv(file(dir, name).toString());
    }

    private static String cell(Object v) {
        if (v == null) {
            return "";
        }
        String s = v instanceof Double d ? String.format(Locale.ROOT, "%s", d) : v.toString();
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
