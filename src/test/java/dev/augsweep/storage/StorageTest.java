package dev.augsweep.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Storage.read's retry: what HDFS does to a reader when a file is renamed over, played out on a local disk. */
class StorageTest {
    @Test
    void aReadFailedByAReplacementIsReadAgainFromTheNewFile(@TempDir Path dir) throws IOException {
        StorePath file = StorePath.local(dir.resolve("result.json"));
        Storage.writeString(file, "old");
        AtomicInteger reads = new AtomicInteger();
        String text = Storage.read(file, in -> {
            String seen = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (reads.incrementAndGet() < 4) {
                // Each replacement a different size: a local write can land in the same millisecond as the last.
                Storage.writeString(file, "new, longer " + "!".repeat(reads.get()));
                throw new IOException("Blocklist for " + file + " has changed!");
            }
            return seen;
        });
        assertThat(text).isEqualTo("new, longer !!!");
        assertThat(reads).hasValue(4);
    }

    @Test
    void aDamagedFileFailsTwiceAndItsErrorIsThrown(@TempDir Path dir) {
        StorePath file = StorePath.local(dir.resolve("checkpoint.bin"));
        Storage.writeString(file, "truncated");
        AtomicInteger reads = new AtomicInteger();
        assertThatThrownBy(() -> Storage.read(file, in -> {
            reads.incrementAndGet();
            throw new IOException("missing end marker");
        })).hasMessage("missing end marker");
        assertThat(reads).hasValue(2);
    }

    @Test
    void aMissingFileIsNotRetried(@TempDir Path dir) {
        AtomicInteger reads = new AtomicInteger();
        assertThatThrownBy(() -> Storage.read(StorePath.local(dir.resolve("none")), in -> reads.incrementAndGet()))
                .isInstanceOf(FileNotFoundException.class);
        assertThat(reads).hasValue(0);
    }
}
