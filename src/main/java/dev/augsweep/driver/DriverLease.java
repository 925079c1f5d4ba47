package dev.augsweep.driver;

import dev.augsweep.results.CommitGuard;
import dev.augsweep.results.ResultsLayout;
import dev.augsweep.storage.Storage;
import dev.augsweep.storage.StorageErrors;
import dev.augsweep.storage.StorageException;
import dev.augsweep.storage.StorePath;
import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The driver's lock where the store has none (HDFS, object stores): a lease, fenced by generations. The lease is a
 * directory of generation files, {@code gen-N}; the highest N is the holder. A driver takes the lease by creating the
 * next generation's file, which the store creates for one writer only (HDFS's exclusive create is atomic in the name
 * node; on S3 a conditional PUT, {@code If-None-Match: *}, which the store refuses to a second writer), and writes a
 * heartbeat count into it every {@link #BEAT_MS}. Before taking it on an object store the driver checks that the
 * store really refuses a second conditional create of one key ({@link Storage#exclusiveCreateFlaw}); where it does
 * not, the driver refuses to run unless the user says one driver runs there at a time ({@link #UNFENCED}). A second driver that finds the lease watches
 * the holder's file for {@link #TAKEOVER_MS}: if it moved, the holder is alive and the second leaves; if not, the
 * holder is taken to be dead and the second creates the next generation. Clocks are never compared.
 *
 * <p>Fencing: a holder learns at each renewal whether a later generation exists, and then stops (it lost the lease
 * while it could not renew, say, in a long pause); a write it had in flight lands in its own generation's file, which
 * no one reads as the holder's any more. Each unit checks before it starts that its driver's generation is still the
 * highest ({@link #fence()}), so that a driver that lost the lease never trains a trial the new holder may train too,
 * and each commit to the results tables checks the same, on the driver ({@link #commitGuard()}), so that a driver
 * that paused past its lease commits nothing once another took over.
 */
public final class DriverLease implements DriverLock {
    static final long BEAT_MS = 4_000;
    /** How long a holder's file must stay unchanged before another driver takes the lease over. */
    static final long TAKEOVER_MS = BEAT_MS * 5 / 2;
    /**
     * How long after a renewal began the holder may count on the lease: less than {@link #TAKEOVER_MS}, so that it
     * has stopped counting on it before anyone can take it over.
     */
    static final long VALID_MS = BEAT_MS * 2;
    public static final String RELEASED = "released";
    /**
     * The Spark setting by which a user accepts a lease that does not fence, on a store that offers no exclusive
     * create: they start one driver at a time on its results directories.
     */
    public static final String UNFENCED = "spark.augsweep.unfencedLease";
    private static final Pattern GENERATION = Pattern.compile("gen-(\\d+)");

    /** The lease's files; a seam for tests that delay one driver's writes. */
    interface Files {
        /** The highest generation, 0 when there is none. */
        long latest();

        /** A generation's content; null where it is missing. */
        String read(long generation);

        void write(long generation, String content);

        /** Creates a generation's file unless it exists (atomically where the store can); whether it did. */
        boolean create(long generation, String content);

        void deleteBelow(long generation);
    }

    /** Time for the lease; a seam for tests. */
    interface Clock {
        Clock SYSTEM = new Clock() {
            @Override
            public long millis() {
                return System.nanoTime() / 1_000_000;
            }

            @Override
            public void sleep(long ms) {
                try {
                    Thread.sleep(ms);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while acquiring the driver's lease", e);
                }
            }
        };

        long millis();

        void sleep(long ms);
    }

    private final StorePath root;
    private final StorePath dir;
    private final Files files;
    private final Clock clock;
    private final String id;
    private final long generation;
    private ScheduledExecutorService heart;
    private long beat;
    private volatile long validUntil;
    private volatile String lostTo;
    private String lastProblem;

    private DriverLease(StorePath root, StorePath dir, Files files, Clock clock, String id, long generation,
                        long validUntil) {
        this.root = root;
        this.dir = dir;
        this.files = files;
        this.clock = clock;
        this.id = id;
        this.generation = generation;
        this.validUntil = validUntil;
    }

    static DriverLease acquire(ResultsLayout layout, boolean unfencedAllowed) {
        requireFencing(layout, unfencedAllowed);
        DriverLease lease = acquire(layout.root(), layout.driverLease(), new StoredFiles(layout.driverLease()),
                Clock.SYSTEM, HostName.NAME + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID());
        lease.heart = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "augsweep-driver-lease");
            t.setDaemon(true);
            return t;
        });
        lease.heart.scheduleAtFixedRate(lease::renew, BEAT_MS, BEAT_MS, TimeUnit.MILLISECONDS);
        return lease;
    }

    /**
     * Refuses, in one line with the fix, a store where two drivers could both create one generation (an
     * S3-compatible server that ignores {@code If-None-Match}, conditional writes switched off, a store with no
     * conditional create), unless the user accepted that ({@link #UNFENCED}); then it says so, loudly, once.
     */
    static void requireFencing(ResultsLayout layout, boolean unfencedAllowed) {
        String flaw = Storage.exclusiveCreateFlaw(layout.driverLease());
        if (flaw == null) {
            return;
        }
        if (unfencedAllowed) {
            System.err.println("augsweep: WARNING: the driver's lease on " + layout.root() + " does not fence (" + flaw
                    + "); running because " + UNFENCED + "=true: start no second driver on these results");
            return;
        }
        throw StorageErrors.refused("the driver's lease on " + layout.root() + " cannot fence: " + flaw + ", so two "
                + "drivers could both take it and train the same trials; give the store conditional writes (AWS S3 "
                + "has them; on an S3-compatible server, a version with If-None-Match; fs.s3a.create.conditional"
                + ".enabled=true), put --results on HDFS or a shared disk, or, running one driver at a time there, "
                + "say so: --conf " + UNFENCED + "=true");
    }

    /** Takes the lease in {@code dir} for driver {@code id}, or fails with who holds it; renewals are the caller's. */
    static DriverLease acquire(StorePath root, StorePath dir, Files files, Clock clock, String id) {
        long top = files.latest();
        if (top > 0) {
            String seen = files.read(top);
            if (!RELEASED.equals(seen)) {
                clock.sleep(TAKEOVER_MS);
                long now = files.latest();
                if (now != top || !Objects.equals(files.read(top), seen)) {
                    throw busy(root, files.read(now));
                }
            }
        }
        long started = clock.millis();
        if (!files.create(top + 1, id + " 0\n")) { // another driver took this generation in the same instant
            throw busy(root, files.read(top + 1));
        }
        files.deleteBelow(top); // the generation taken over stays, for the record
        return new DriverLease(root, dir, files, clock, id, top + 1, started + VALID_MS);
    }

    /** Raises the heartbeat, if this driver still holds the lease; learns it if it does not. */
    synchronized void renew() {
        if (lostTo != null) {
            return;
        }
        long started = clock.millis();
        try {
            if (stillLatest()) {
                files.write(generation, id + " " + (++beat) + "\n");
                if (stillLatest()) {
                    validUntil = started + VALID_MS;
                    lastProblem = null;
                }
            }
        } catch (RuntimeException e) {
            String problem = e instanceof StorageException s && s.userMessage() != null ? s.userMessage()
                    : String.valueOf(e);
            if (!problem.equals(lastProblem)) { // once per problem, not every beat
                System.err.println("augsweep: cannot renew the driver's lease on " + root + ": " + problem
                        + "; trials are not started meanwhile, and another driver may take over after "
                        + TAKEOVER_MS / 1000 + " s");
                lastProblem = problem;
            }
        }
        if (lostTo != null && heart != null) {
            heart.shutdown();
        }
    }

    private boolean stillLatest() {
        long latest = files.latest();
        if (latest != generation) {
            lostTo = holder(files.read(latest));
            return false;
        }
        return true;
    }

    /**
     * Whether this driver may count on the lease now: renewed lately, and no later generation seen. Not synchronized:
     * a renewal stalled in the store must not stall the question.
     */
    boolean valid() {
        return lostTo == null && clock.millis() < validUntil;
    }

    @Override
    public void check() {
        if (lostTo != null) {
            throw lost();
        }
    }

    @Override
    public void confirm() {
        if (!valid()) {
            renew();
        }
        check();
    }

    /**
     * Before each commit: this driver may count on the lease (renewed lately, or renewed now), and its generation is
     * still the highest in the store, asked now. A driver that lost the lease is refused for good; one that cannot
     * reach the store to tell is refused for now (the committer tries again later).
     */
    @Override
    public CommitGuard commitGuard() {
        return () -> {
            try {
                confirm();
                long latest = files.latest();
                if (latest != generation) {
                    lostTo = holder(files.read(latest));
                    throw lost();
                }
            } catch (ResultsBusyException e) {
                throw new CommitGuard.Refused(e.getMessage(), e);
            }
            if (!valid()) {
                throw new IllegalStateException("the driver's lease on " + root + " could not be renewed lately; not "
                        + "committing until it is");
            }
        };
    }

    @Override
    public Fence fence() {
        return new LeaseFence(dir, generation, root.toString(), Storage.settings());
    }

    private ResultsBusyException lost() {
        return new ResultsBusyException("results busy: another augsweep driver (" + lostTo + ") took over the lease "
                + "on " + root + " while this one could not renew it; this driver stopped (its finished trials are "
                + "recorded; the other driver runs the rest)");
    }

    private static ResultsBusyException busy(StorePath root, String content) {
        return new ResultsBusyException("results busy: another augsweep driver (" + holder(content) + ") holds the "
                + "lease on " + root + " and is alive; wait for it to finish, or pass another --results directory (a "
                + "lease left by a driver that died is taken over after " + TAKEOVER_MS / 1000 + " s)");
    }

    private static String holder(String content) {
        return content == null || content.isBlank() ? "just starting" : content.trim().split(" ")[0];
    }

    @Override
    public synchronized void close() {
        if (heart != null) {
            heart.shutdownNow();
        }
        if (lostTo == null && files.latest() == generation) {
            files.write(generation, RELEASED);
        }
    }

    /** An executor's check that the unit's driver still holds the lease: its generation is still the highest. */
    record LeaseFence(StorePath dir, long generation, String root, Map<String, String> storage) implements Fence {
        @Override
        public void check() {
            Storage.configure(storage);
            long latest = new StoredFiles(dir).latest();
            if (latest != generation) {
                throw new ResultsBusyException("results busy: the driver that started this unit no longer holds the "
                        + "lease on " + root + " (generation " + generation + ", now " + latest + "); not started");
            }
        }
    }

    /** The lease's files in the results store. */
    public record StoredFiles(StorePath dir) implements Files, Serializable {
        public static StorePath file(StorePath dir, long generation) {
            return dir.resolve("gen-" + generation);
        }

        @Override
        public long latest() {
            long latest = 0;
            for (StorePath p : Storage.list(dir)) {
                Matcher m = GENERATION.matcher(p.name());
                if (m.matches()) {
                    latest = Math.max(latest, Long.parseLong(m.group(1)));
                }
            }
            return latest;
        }

        @Override
        public String read(long generation) {
            StorePath file = file(dir, generation);
            return Storage.isFile(file) ? Storage.readString(file) : null;
        }

        @Override
        public void write(long generation, String content) {
            Storage.writeString(file(dir, generation), content);
        }

        @Override
        public boolean create(long generation, String content) {
            return Storage.createNew(file(dir, generation), content);
        }

        @Override
        public void deleteBelow(long generation) {
            for (long g = generation - 1; g > 0 && Storage.exists(file(dir, g)); g--) {
                Storage.delete(file(dir, g), false);
            }
        }
    }
}
