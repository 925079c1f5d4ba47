package dev.augsweep.sweep;

import java.util.ArrayList;
import java.util.List;

/** The module opens Spark 4 needs on Java 17, for JVMs the tests start themselves. */
final class JvmFlags {
    static final List<String> SPARK_OPENS;

    static {
        List<String> flags = new ArrayList<>();
        for (String p : List.of("java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net", "java.nio",
                "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "jdk.internal.ref", "sun.nio.ch",
                "sun.nio.cs", "sun.security.action", "sun.util.calendar")) {
            flags.add("--add-opens=java.base/" + p + "=ALL-UNNAMED");
        }
        flags.add("-Djdk.reflect.useDirectMethodHandle=false");
        flags.add("-Dio.netty.tryReflectionSetAccessible=true");
        SPARK_OPENS = List.copyOf(flags);
    }

    private JvmFlags() {
    }
}
