package dev.augsweep.results;

import dev.augsweep.config.InvalidConfigException;
import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Delta tables under a results directory (tables/NAME): created with their schema before any append
 * (concurrent first writes would race), refused when an older version of augsweep wrote them without some column,
 * written to by inserting rows of named values whose keys they lack.
 */
public final class DeltaTables {
    /** Conflicts in a row before a commit gives up (to the committer, which retries later): writers are few. */
    private static final int CONFLICT_ATTEMPTS = 20;
    private final SparkSession spark;
    private final ResultsLayout layout;
    private final CommitGuard guard;

    public DeltaTables(SparkSession spark, ResultsLayout layout) {
        this(spark, layout, CommitGuard.NONE);
    }

    /** @param guard checked before each commit, each retry of one included */
    public DeltaTables(SparkSession spark, ResultsLayout layout, CommitGuard guard) {
        this.spark = spark;
        this.layout = layout;
        this.guard = guard;
    }

    /** Whether the session these tables are written through was stopped: no commit can succeed then. */
    public boolean sparkStopped() {
        return spark.sparkContext().isStopped();
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
        guard.check();
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
            guard.check();
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

    /** Checks, as each commit here does, that this writer may still commit (throws where not). */
    public void checkGuard() {
        guard.check();
    }

    /**
     * Inserts the rows whose {@code keys} the table does not hold yet, in one Delta transaction: a MERGE that only
     * inserts. Exactly once without a lock: the MERGE reads the whole table, so a transaction that another writer's
     * commit got ahead of fails on Delta's conflict check (instead of adding a second row) and is run again, reading
     * the rows that writer added. Delta's txnAppId/txnVersion would not do: a high-water mark per writer, not
     * across drivers.
     */
    public void insertAbsent(String table, StructType schema, List<String> keys, List<Map<String, Object>> rows) {
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
        Dataset<Row> source = spark.createDataFrame(data, schema).dropDuplicates(keys.toArray(String[]::new));
        String on = keys.stream().map(k -> "t." + k + " <=> s." + k).collect(Collectors.joining(" AND "));
        for (int attempt = 1; ; attempt++) {
            guard.check();
            try {
                DeltaTable.forPath(spark, layout.table(table).toString()).as("t")
                        .merge(source.as("s"), on).whenNotMatched().insertAll().execute();
                return;
            } catch (ConcurrentModificationException e) { // Delta's conflicts: another writer committed first
                if (attempt == CONFLICT_ATTEMPTS) {
                    throw e;
                }
                sleep(ThreadLocalRandom.current().nextLong(100, 100L << Math.min(attempt, 6)));
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a results commit", e);
        }
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
        if (type == DataTypes.BooleanType || type == DataTypes.TimestampType || type instanceof MapType) {
            return v;
        }
        return v.toString();
    }
}
