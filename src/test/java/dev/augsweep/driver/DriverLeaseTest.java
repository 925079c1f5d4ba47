package dev.augsweep.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augsweep.storage.StorePath;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lease's fencing, played out deterministically: two drivers on one results directory, their renewals
 * interleaved by a wrapper that holds one driver's writes back, on a clock the test moves. Whatever the interleaving,
 * no trial is started by both: a driver starts one only while its lease is valid and its fence (the check each
 * unit's task makes on its executor) passes.
 */
class DriverLeaseTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final DriverLease.Clock clock = new DriverLease.Clock() {
        @Override
        public long millis() {
            return now.get();
        }

        @Override
        public void sleep(long ms) {
            now.addAndGet(ms);
        }
    };

    @Test
    void aDriverWhoseRenewalStalledLearnsItLostTheLeaseAndNoTrialIsStartedTwice(@TempDir Path dir) throws Exception {
        StorePath root = StorePath.local(dir);
        StorePath leaseDir = root.resolve(".driver-lease");
        HeldBack aFiles = new HeldBack(new DriverLease.StoredFiles(leaseDir));
        DriverLease a = DriverLease.acquire(root, leaseDir, aFiles, clock, "driver-a");
        Trials trials = new Trials();
        trials.startIfHeld(a, "a");

        // A's next renewal stalls in its write (a long pause, a store that hangs) ...
        aFiles.holdWrites();
        CompletableFuture<Void> aRenewal = CompletableFuture.runAsync(a::renew);
        assertThat(aFiles.writeStarted.await(10, TimeUnit.SECONDS)).isTrue();
        // ... and B, seeing A's heartbeat stand still for the takeover time, takes the lease over.
        DriverLease b = DriverLease.acquire(root, leaseDir, new DriverLease.StoredFiles(leaseDir), clock, "driver-b");
        assertThat(a.valid()).as("A stopped counting on the lease before B could take it").isFalse();
        trials.startIfHeld(a, "a");
        trials.startIfHeld(b, "b");

        // A's stalled write lands (in its own generation's file) and A's renewal sees the later generation.
        aFiles.release();
        aRenewal.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(a::check).isInstanceOf(ResultsBusyException.class)
                .hasMessageContaining("another augsweep driver (driver-b) took over the lease");
        assertThatThrownBy(a.fence()::check).isInstanceOf(ResultsBusyException.class)
                .hasMessageContaining("no longer holds the lease");
        trials.startIfHeld(a, "a");

        b.renew();
        b.check();
        trials.startIfHeld(b, "b");
        a.renew(); // a lost lease stays lost: A does not write over B
        trials.startIfHeld(a, "a");
        b.renew();
        trials.startIfHeld(b, "b");

        assertThat(trials.startedBy.get("a")).hasSize(1);
        assertThat(trials.startedBy.get("b")).hasSize(3);
        assertThat(trials.twice).isEmpty();
        b.close();
        assertThat(new DriverLease.StoredFiles(leaseDir).read(2)).isEqualTo(DriverLease.RELEASED);
    }

    @Test
    void twoDriversTakingOverADeadOnesLeaseAtOnceLeaveOneHolder(@TempDir Path dir) throws Exception {
        StorePath root = StorePath.local(dir);
        StorePath leaseDir = root.resolve(".driver-lease");
        DriverLease.StoredFiles files = new DriverLease.StoredFiles(leaseDir);
        files.write(1, "a-driver-that-died 7\n"); // no heartbeat follows
        // Both see the dead lease stand still; C creates the next generation first, and B's create is refused.
        DriverLease c = DriverLease.acquire(root, leaseDir, files, clock, "driver-c");
        DriverLease.Files seesDeadLease = new Delegating(files) {
            private int calls;

            @Override
            public long latest() {
                return calls++ < 2 ? 1 : super.latest(); // what B saw, twice, before C's create
            }

            @Override
            public String read(long generation) {
                return generation == 1 ? "a-driver-that-died 7\n" : super.read(generation);
            }
        };
        assertThatThrownBy(() -> DriverLease.acquire(root, leaseDir, seesDeadLease, clock, "driver-b"))
                .isInstanceOf(ResultsBusyException.class).hasMessageContaining("driver (driver-c) holds the lease");
        c.check();
        c.fence().check();
        assertThat(files.latest()).isEqualTo(2);
    }

    @Test
    void aReleasedLeaseIsTakenAtOnceAndALiveOneTurnsASecondDriverAway(@TempDir Path dir) {
        StorePath root = StorePath.local(dir);
        StorePath leaseDir = root.resolve(".driver-lease");
        DriverLease.StoredFiles files = new DriverLease.StoredFiles(leaseDir);
        DriverLease a = DriverLease.acquire(root, leaseDir, files, clock, "driver-a");
        DriverLease.Files beatsWhileWatched = new Beating(files, a);
        assertThatThrownBy(() -> DriverLease.acquire(root, leaseDir, beatsWhileWatched, clock, "driver-b"))
                .isInstanceOf(ResultsBusyException.class).hasMessageContaining("driver (driver-a) holds the lease")
                .hasMessageContaining("is alive");
        a.check();
        a.close();
        long before = now.get();
        DriverLease b = DriverLease.acquire(root, leaseDir, files, clock, "driver-b");
        assertThat(now.get()).as("no takeover wait for a released lease").isEqualTo(before);
        b.check();
    }

    /** Renews the holder once while the second driver watches it (between its two reads). */
    private static final class Beating extends Delegating {
        private final DriverLease holder;
        private int reads;

        Beating(DriverLease.Files files, DriverLease holder) {
            super(files);
            this.holder = holder;
        }

        @Override
        public String read(long generation) {
            if (reads++ == 1) {
                holder.renew();
            }
            return super.read(generation);
        }
    }

    /** Files that do what the wrapped files do, but where a subclass says otherwise. */
    /** Lease files that pass every call through, for a test to override one. */
    static class Delegating implements DriverLease.Files {
        private final DriverLease.Files files;

        Delegating(DriverLease.Files files) {
            this.files = files;
        }

        @Override
        public long latest() {
            return files.latest();
        }

        @Override
        public String read(long generation) {
            return files.read(generation);
        }

        @Override
        public void write(long generation, String content) {
            files.write(generation, content);
        }

        @Override
        public boolean create(long generation, String content) {
            return files.create(generation, content);
        }

        @Override
        public void deleteBelow(long generation) {
            files.deleteBelow(generation);
        }
    }

    /** The trials each driver started, and any started by both. */
    private static final class Trials {
        private final Map<String, List<Integer>> startedBy = new HashMap<>();
        private final Set<Integer> started = new HashSet<>();
        private final List<Integer> twice = new ArrayList<>();
        private int next;

        /** The driver starts the next trial if it may: its lease valid, and its unit's fence passes. */
        void startIfHeld(DriverLease lease, String name) {
            startedBy.putIfAbsent(name, new ArrayList<>());
            try {
                lease.check();
                lease.fence().check();
            } catch (ResultsBusyException e) {
                return;
            }
            if (!lease.valid()) {
                return;
            }
            int trial = next++;
            if (!started.add(trial)) {
                twice.add(trial);
            }
            startedBy.get(name).add(trial);
        }
    }

    /** A driver's files whose writes can be held back until released. */
    private static final class HeldBack extends Delegating {
        private final CountDownLatch writeStarted = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private volatile boolean holding;

        HeldBack(DriverLease.Files files) {
            super(files);
        }

        void holdWrites() {
            holding = true;
        }

        void release() {
            released.countDown();
        }

        @Override
        public void write(long generation, String content) {
            if (holding) {
                writeStarted.countDown();
                try {
                    released.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            super.write(generation, content);
        }
    }
}
