package dev.augsweep.sweep;

import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.storage.Storage;
import dev.augsweep.storage.StorePath;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The driver's lock where the store has none (HDFS, object stores): a lease file holding the driver's id and a
 * heartbeat count it raises every {@link #BEAT_MS}. A second driver that finds the lease watches it for two and a
 * half beats: if it moved, the first is alive and the second leaves; if not, its driver died and the lease is taken
 * over. Clocks are never compared, so skew between machines does not matter. On S3 this is also what keeps the
 * tables to one writer, which Delta's default S3 log store needs (see README "Results on HDFS and object stores").
 */
final class DriverLease implements DriverLock {
    static final long BEAT_MS = 4_000;
    private final StorePath file;
    private final String id;
    private final ScheduledExecutorService heart;
    private long beat;

    private DriverLease(StorePath file, String id) {
        this.file = file;
        this.id = id;
        this.heart = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "augsweep-driver-lease");
            t.setDaemon(true);
            return t;
        });
    }

    static DriverLease acquire(ResultsLayout layout) {
        StorePath file = layout.driverLease();
        if (Storage.isFile(file)) {
            String seen = Storage.readString(file);
            sleep(BEAT_MS * 5 / 2);
            if (Storage.isFile(file) && !Storage.readString(file).equals(seen)) {
                throw busy(layout, Storage.readString(file));
            }
        }
        DriverLease lease = new DriverLease(file, TrialAttempt.Host.NAME + "/" + ProcessHandle.current().pid() + "/"
                + UUID.randomUUID());
        lease.renew();
        sleep(BEAT_MS / 4); // two drivers that started together: the later write wins, the other sees it and leaves
        String holder = Storage.readString(file);
        if (!holder.startsWith(lease.id + " ")) {
            throw busy(layout, holder);
        }
        lease.heart.scheduleAtFixedRate(lease::renew, BEAT_MS, BEAT_MS, TimeUnit.MILLISECONDS);
        return lease;
    }

    private synchronized void renew() {
        try {
            Storage.writeString(file, id + " " + (++beat) + "\n");
        } catch (RuntimeException e) {
            System.err.println("augsweep: cannot renew the driver's lease " + file + " (" + e.getMessage()
                    + "); another driver may take over in " + BEAT_MS * 5 / 2 / 1000 + " s");
        }
    }

    private static InvalidConfigException busy(ResultsLayout layout, String holder) {
        return new InvalidConfigException(layout.root().toString(), List.of("another augsweep driver ("
                + holder.split(" ")[0] + ") holds the lease on " + layout.root() + " and is alive; wait for it to "
                + "finish, or pass another --results directory (a lease left by a driver that died is taken over "
                + "after " + BEAT_MS * 5 / 2 / 1000 + " s)"));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while acquiring the driver's lease", e);
        }
    }

    @Override
    public synchronized void close() {
        heart.shutdownNow();
        if (Storage.isFile(file) && Storage.readString(file).startsWith(id + " ")) {
            Storage.delete(file, false);
        }
    }
}
