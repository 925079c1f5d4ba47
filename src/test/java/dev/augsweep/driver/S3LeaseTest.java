package dev.augsweep.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augsweep.results.BatchCommitter;
import dev.augsweep.results.DeltaTables;
import dev.augsweep.results.ResultsLayout;
import dev.augsweep.results.SparkSessions;
import dev.augsweep.storage.Storage;
import dev.augsweep.storage.StorageException;
import dev.augsweep.storage.StorePath;
import dev.augsweep.testing.LocalS3;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The driver's lease on a real S3 server in this JVM (S3Proxy, {@link LocalS3}): generations created by S3's
 * conditional PUT, so that two drivers taking one generation at once leave one holder; a store that does not honour
 * the condition refused in one line; and a holder paused past its lease, which commits nothing to the results tables
 * once another driver took over (on a test clock, with real Delta commits on s3a://).
 */
class S3LeaseTest {
    @RegisterExtension
    static final LocalS3 S3 = new LocalS3();
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

    @AfterEach
    void usualSettings() {
        Storage.configure(Storage.hadoopSettings(Map.of()));
    }

    @Test
    void twoDriversTakingOneGenerationAtOnceLeaveOneHolder() throws Exception {
        Storage.configure(S3.hadoop());
        StorePath root = StorePath.of(S3.uri("race"));
        StorePath leaseDir = new ResultsLayout(root).driverLease();
        // Both drivers find no lease and reach the create together: on S3 before conditional writes both PUTs
        // succeeded and the last one's object won.
        CountDownLatch bothThere = new CountDownLatch(2);
        List<CompletableFuture<Object>> drivers = new ArrayList<>();
        for (String id : List.of("driver-a", "driver-b")) {
            DriverLease.StoredFiles stored = new DriverLease.StoredFiles(leaseDir);
            DriverLease.Files files = new DriverLeaseTest.Delegating(stored) {
                @Override
                public boolean create(long generation, String content) {
                    bothThere.countDown();
                    try {
                        bothThere.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return super.create(generation, content);
                }
            };
            drivers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return DriverLease.acquire(root, leaseDir, files, clock, id);
                } catch (ResultsBusyException e) {
                    return e;
                }
            }));
        }
        List<Object> outcomes = new ArrayList<>();
        for (CompletableFuture<Object> d : drivers) {
            outcomes.add(d.get(60, TimeUnit.SECONDS));
        }
        List<DriverLease> holders = outcomes.stream().filter(o -> o instanceof DriverLease).map(o -> (DriverLease) o)
                .toList();
        assertThat(holders).as("outcomes: %s", outcomes).hasSize(1);
        assertThat(outcomes).anySatisfy(o -> assertThat(o).isInstanceOf(ResultsBusyException.class)
                .extracting(Object::toString).asString().contains("holds the lease on " + root));
        DriverLease.StoredFiles files = new DriverLease.StoredFiles(leaseDir);
        assertThat(files.latest()).isEqualTo(1);
        holders.get(0).check();
        holders.get(0).fence().check();
        holders.get(0).commitGuard().check();
    }

    @Test
    void aStoreThatDoesNotHonourConditionalWritesIsRefusedInOneLineUnlessOneDriverIsPromised() throws Exception {
        ResultsLayout layout = new ResultsLayout(StorePath.of(S3.uri("old-server")));
        Storage.configure(S3.hadoop());
        S3.ignoreConditionalWrites();
        assertThatThrownBy(() -> DriverLock.acquire(layout)).isInstanceOf(StorageException.class)
                .extracting(e -> ((StorageException) e).userMessage()).asString()
                .contains("the driver's lease on " + layout.root() + " cannot fence")
                .contains("took a second conditional create of one key (If-None-Match: *) as a plain write")
                .contains("--conf " + DriverLease.UNFENCED + "=true").doesNotContain("\n");
        try (DriverLock promised = DriverLock.acquire(layout, true)) {
            assertThat(promised).isInstanceOf(DriverLease.class);
        }

        Map<String, String> off = new HashMap<>(S3.hadoop());
        off.put("fs.s3a.create.conditional.enabled", "false");
        Storage.configure(off);
        ResultsLayout switchedOff = new ResultsLayout(StorePath.of(S3.uri("switched-off")));
        assertThatThrownBy(() -> DriverLock.acquire(switchedOff)).isInstanceOf(StorageException.class)
                .extracting(e -> ((StorageException) e).userMessage()).asString()
                .contains("conditional writes are switched off (fs.s3a.create.conditional.enabled=false)");
        try (DriverLock promised = DriverLock.acquire(switchedOff, true)) { // a check and then a create
            assertThat(new DriverLease.StoredFiles(switchedOff.driverLease()).latest()).isEqualTo(1);
        }
    }

    /**
     * A holds the lease and commits; it pauses (a long GC, a suspended VM) past its lease; B takes over and
     * commits; A wakes with outcomes to record: its committer's guard finds B's generation, and A commits nothing.
     * Delta's commits go to s3a:// through the conditional log store, as a driver's do.
     */
    @Test
    void aHolderPausedPastItsLeaseCommitsNothingOnceAnotherTookOver() throws Exception {
        Storage.configure(S3.hadoop());
        ResultsLayout layout = new ResultsLayout(StorePath.of(S3.uri("paused")));
        StorePath leaseDir = layout.driverLease();
        DriverLease.requireFencing(layout, false); // this store fences
        StructType schema = new StructType().add("trial_id", DataTypes.StringType, false)
                .add("driver", DataTypes.StringType);
        Map<String, String> settings = new LinkedHashMap<>(LocalS3.spark(S3.hadoop()));
        settings.put("spark.ui.enabled", "false");
        SparkSession spark = SparkSessions.create("paused holder", "local[1]", settings);
        try {
            assertThat(spark.conf().get("spark.delta.logStore.s3a.impl")).endsWith("ConditionalS3LogStore");
            DriverLease a = DriverLease.acquire(layout.root(), leaseDir, new DriverLease.StoredFiles(leaseDir), clock,
                    "driver-a");
            DeltaTables aTables = new DeltaTables(spark, layout, a.commitGuard());
            aTables.create("trials", schema);
            ByteArrayOutputStream aLog = new ByteArrayOutputStream();
            BatchCommitter<String> aCommitter = new BatchCommitter<>(id -> id, batch -> aTables.insertAbsent("trials",
                    schema, List.of("trial_id"), rows(batch, "a")), Set.of(), new PrintStream(aLog, true),
                    aTables::sparkStopped);
            aCommitter.submit("t1");
            waitFor(() -> ids(spark, layout).contains("t1"));

            now.addAndGet(DriverLease.TAKEOVER_MS * 3); // A pauses: no renewal, its lease runs out
            DriverLease b = DriverLease.acquire(layout.root(), leaseDir, new DriverLease.StoredFiles(leaseDir), clock,
                    "driver-b");
            DeltaTables bTables = new DeltaTables(spark, layout, b.commitGuard());
            bTables.insertAbsent("trials", schema, List.of("trial_id"), rows(List.of("t2"), "b"));

            aCommitter.submit("t3"); // A wakes with an outcome to record
            assertThatThrownBy(aCommitter::close).hasRootCauseInstanceOf(ResultsBusyException.class)
                    .rootCause().hasMessageContaining("another augsweep driver (driver-b) took over the lease");
            assertThat(aLog.toString()).contains("not recording 1 outcome(s)");
            assertThat(ids(spark, layout)).containsExactlyInAnyOrder("t1", "t2");
            assertThatThrownBy(a::check).isInstanceOf(ResultsBusyException.class);
            assertThatThrownBy(a.fence()::check).isInstanceOf(ResultsBusyException.class)
                    .hasMessageContaining("no longer holds the lease");
            b.commitGuard().check();
            b.close();
        } finally {
            spark.stop();
        }
    }

    private static List<Map<String, Object>> rows(List<String> ids, String driver) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String id : ids) {
            rows.add(Map.of("trial_id", id, "driver", driver));
        }
        return rows;
    }

    private static List<String> ids(SparkSession spark, ResultsLayout layout) {
        return spark.read().format("delta").load(layout.table("trials").toString()).select("trial_id")
                .collectAsList().stream().map((Row r) -> r.getString(0)).toList();
    }

    private static void waitFor(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (!done.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("within two minutes").isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
