package dev.augsweep.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augsweep.testing.LocalS3;
import io.delta.storage.CloseableIterator;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Delta's log on a real S3 server in this JVM: one writer wins each version, as Delta's commit protocol needs. */
class ConditionalS3LogStoreTest {
    @RegisterExtension
    static final LocalS3 S3 = new LocalS3();

    private static Configuration conf() {
        Configuration conf = new Configuration();
        S3.hadoop().forEach(conf::set);
        return conf;
    }

    @Test
    void aVersionIsWrittenOnceAndASecondWriterIsToldItExists() throws Exception {
        Configuration conf = conf();
        ConditionalS3LogStore store = new ConditionalS3LogStore(conf);
        Path version = new Path(S3.uri("table/_delta_log/00000000000000000001.json"));
        store.write(version, List.of("{\"commitInfo\":\"a\"}").iterator(), false, conf);
        assertThatThrownBy(() -> store.write(version, List.of("{\"commitInfo\":\"b\"}").iterator(), false, conf))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(read(store, version, conf)).containsExactly("{\"commitInfo\":\"a\"}");
        store.write(version, List.of("{\"checkpoint\":1}").iterator(), true, conf); // Delta's overwrites stay such
        assertThat(read(store, version, conf)).containsExactly("{\"checkpoint\":1}");
        assertThat(store.isPartialWriteVisible(version, conf)).isFalse();
    }

    /** Two drivers committing one version at the same instant: exactly one commit stays, the other must retry. */
    @Test
    void twoWritersOfOneVersionAtOnceLeaveOneCommit() throws Exception {
        Configuration conf = conf();
        Path version = new Path(S3.uri("raced/_delta_log/00000000000000000000.json"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> writers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String action = "{\"writer\":" + i + "}";
                writers.add(pool.submit((Callable<String>) () -> {
                    go.await();
                    try {
                        new ConditionalS3LogStore(conf).write(version, List.of(action).iterator(), false, conf);
                        return action;
                    } catch (FileAlreadyExistsException e) {
                        return null;
                    }
                }));
            }
            go.countDown();
            List<String> won = new ArrayList<>();
            for (Future<String> w : writers) {
                if (w.get() != null) {
                    won.add(w.get());
                }
            }
            assertThat(won).hasSize(1);
            assertThat(read(new ConditionalS3LogStore(conf), version, conf)).containsExactly(won.get(0));
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<String> read(ConditionalS3LogStore store, Path path, Configuration conf) throws Exception {
        List<String> lines = new ArrayList<>();
        try (CloseableIterator<String> it = store.read(path, conf)) {
            it.forEachRemaining(lines::add);
        }
        return lines;
    }
}
