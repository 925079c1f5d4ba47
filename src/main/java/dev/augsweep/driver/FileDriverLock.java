package dev.augsweep.driver;

import dev.augsweep.results.ResultsLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The driver's lock on a local or shared disk: the operating system's file lock, freed when the driver dies. */
final class FileDriverLock implements DriverLock {
    private final FileChannel channel;
    private final FileLock lock;

    private FileDriverLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static FileDriverLock acquire(ResultsLayout layout) {
        Path file = layout.driverLock().toLocalPath();
        try {
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new ResultsBusyException("results busy: another augsweep run is using " + layout.root()
                        + "; wait for it to finish, or pass another --results directory");
            }
            return new FileDriverLock(channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file, e);
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
