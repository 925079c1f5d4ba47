package dev.augsweep.sweep;

import dev.augsweep.config.InvalidConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * One driver per results directory: two would train the same trials twice. A courtesy that turns the second away
 * early; the tables stay right without it ({@link ResultsStore} inserts by MERGE).
 */
final class DriverLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DriverLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DriverLock acquire(ResultsLayout layout) {
        try {
            Files.createDirectories(layout.root());
            FileChannel channel = FileChannel.open(layout.driverLock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new InvalidConfigException(layout.root().toString(), List.of("another augsweep run is using "
                        + layout.root() + "; wait for it to finish, or pass another --results directory"));
            }
            return new DriverLock(channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + layout.driverLock(), e);
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
