package dev.augsweep.ui;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;

/** Spark rows as the dashboard holds them: column name to value, Scala maps as Java maps, timestamps as they are. */
final class Rows {
    private Rows() {
    }

    static Map<String, Object> map(Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        StructField[] fields = r.schema().fields();
        for (int i = 0; i < fields.length; i++) {
            m.put(fields[i].name(), value(r.get(i)));
        }
        return m;
    }

    static Object value(Object v) {
        if (v instanceof scala.collection.Map<?, ?> sm) {
            Map<Object, Object> out = new LinkedHashMap<>();
            scala.jdk.javaapi.CollectionConverters.asJava(sm).forEach((k, x) -> out.put(k, value(x)));
            return out;
        }
        return v;
    }
}
