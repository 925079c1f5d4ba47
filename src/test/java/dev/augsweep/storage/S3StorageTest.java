package dev.augsweep.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.testing.LocalS3;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The storage layer on a real S3 server in this JVM (S3Proxy, {@link LocalS3}): files replaced whole, and the
 * create that one writer wins (S3's conditional PUT), checked as the driver's lease checks it.
 */
class S3StorageTest {
    @RegisterExtension
    static final LocalS3 S3 = new LocalS3();

    @AfterEach
    void usualSettings() {
        Storage.configure(Storage.hadoopSettings(Map.of()));
    }

    @Test
    void filesAreWrittenReplacedListedAndDeleted() {
        Storage.configure(S3.hadoop());
        StorePath dir = StorePath.of(S3.uri("files/trial"));
        StorePath file = dir.resolve("outcome.json");
        Storage.writeString(file, "first");
        Storage.writeString(file, "second, longer");
        assertThat(Storage.readString(file)).isEqualTo("second, longer");
        assertThat(Storage.stat(file).length()).isEqualTo(14);
        assertThat(Storage.isDirectory(dir)).isTrue();
        assertThat(Storage.list(dir)).containsExactly(file);
        assertThat(Storage.list(dir.resolve("none"))).isEmpty();
        Storage.delete(dir, true);
        assertThat(Storage.exists(file)).isFalse();
    }

    /** The settings travel in records (a task, a worker's request, a fence): their toString never shows a secret. */
    @Test
    void settingsNeverShowTheirSecrets() throws Exception {
        Storage.configure(S3.hadoop());
        assertThat(Storage.settings()).containsEntry("fs.s3a.secret.key", LocalS3.SECRET_KEY);
        assertThat(Storage.settings().toString()).contains("fs.s3a.secret.key=<hidden>")
                .contains("fs.s3a.endpoint=" + S3.endpoint()).doesNotContain(LocalS3.SECRET_KEY);
        assertThat(Storage.hadoopSettings(LocalS3.spark(S3.hadoop())).toString()).doesNotContain(LocalS3.SECRET_KEY);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(Storage.settings());
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            Object shipped = in.readObject();
            assertThat(shipped).isEqualTo(S3.hadoop());
            assertThat(shipped.toString()).doesNotContain(LocalS3.SECRET_KEY);
        }
    }

    @Test
    void aConditionalCreateIsWonByOneWriterOnly() throws Exception {
        Storage.configure(S3.hadoop());
        StorePath file = StorePath.of(S3.uri("lease/gen-1"));
        assertThat(Storage.createNew(file, "a 0\n")).isTrue();
        assertThat(Storage.createNew(file, "b 0\n")).isFalse();
        assertThat(Storage.readString(file)).isEqualTo("a 0\n");
        // Eight writers at once on one new key: one wins, and its content is what stays.
        StorePath raced = StorePath.of(S3.uri("lease/gen-2"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> writers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String content = "writer-" + i;
                writers.add(pool.submit((Callable<Boolean>) () -> {
                    go.await();
                    return Storage.createNew(raced, content);
                }));
            }
            go.countDown();
            List<String> won = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                if (writers.get(i).get()) {
                    won.add("writer-" + i);
                }
            }
            assertThat(won).hasSize(1);
            assertThat(Storage.readString(raced)).isEqualTo(won.get(0));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theProbeFindsAStoreThatHonoursConditionalCreatesAndOnesThatDoNot() {
        StorePath dir = StorePath.of(S3.uri("probe/.driver-lease"));
        Storage.configure(S3.hadoop());
        assertThat(Storage.exclusiveCreateFlaw(dir)).isNull();
        assertThat(Storage.list(dir)).as("the probe key is deleted").isEmpty();

        // fs.s3a.performance.flags=create makes a plain create overwrite; the conditional one still holds
        Map<String, String> performance = new HashMap<>(S3.hadoop());
        performance.put("fs.s3a.performance.flags", "create");
        Storage.configure(performance);
        assertThat(Storage.exclusiveCreateFlaw(dir)).isNull();

        Map<String, String> off = new HashMap<>(S3.hadoop());
        off.put("fs.s3a.create.conditional.enabled", "false");
        Storage.configure(off);
        assertThat(Storage.exclusiveCreateFlaw(dir)).contains("conditional writes are switched off")
                .contains("fs.s3a.create.conditional.enabled=false");
        StorePath checked = dir.resolve("gen-1"); // without them, a check and then a create
        assertThat(Storage.createNew(checked, "a")).isTrue();
        assertThat(Storage.createNew(checked, "b")).isFalse();
        assertThat(Storage.readString(checked)).isEqualTo("a");

        Storage.configure(S3.hadoop());
        S3.ignoreConditionalWrites(); // an S3-compatible server without conditional writes
        assertThat(Storage.exclusiveCreateFlaw(dir)).contains("took a second conditional create of one key")
                .contains("If-None-Match");

        assertThat(Storage.exclusiveCreateFlaw(StorePath.of("hdfs://localhost:1/x"))).as("HDFS: the name node")
                .isNull();
    }
}
