package dev.augsweep.driver;

import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.results.ResultsLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

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
        } catch (FileSystemException e) {
            throw unusable(layout, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file, e);
        }
    }

    /** --results that is a file or lies under one, or that this user cannot write, in one line with the fix. */
    private static InvalidConfigException unusable(ResultsLayout layout, FileSystemException e) {
        boolean file = e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException
                || "Not a directory".equals(e.getReason());
        String problem = file ? "--results " + layout.root() + " is a file, or lies under one (" + e.getFile()
                + "); pass a directory (it is created where missing)"
                : "cannot write to --results " + layout.root() + " (" + (e instanceof AccessDeniedException
                ? "permission denied" : e.getReason()) + " on " + e.getFile() + " for user "
                + System.getProperty("user.name") + "); pass a directory you can write, or make it writable";
        return new InvalidConfigException("--results", List.of(problem));
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
