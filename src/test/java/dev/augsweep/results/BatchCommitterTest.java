package dev.augsweep.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

class BatchCommitterTest {
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final List<String> table = Collections.synchronizedList(new ArrayList<>());

    private final AtomicBoolean sparkStopped = new AtomicBoolean();
    private final AtomicInteger calls = new AtomicInteger();

    /**
     * A commit that fails {@code failures} times (in turn an unchecked exception, an Error, and Spark's checked
     * SparkException, which Scala code throws undeclared), then appends.
     */
    private BatchCommitter<String> committer(int failures, Set<String> recorded) {
        return new BatchCommitter<>(s -> s, batch -> {
            int call = calls.incrementAndGet();
            if (call <= failures) {
                switch (call % 3) {
                    case 1 -> throw new IllegalStateException("injected failure " + call);
                    case 2 -> throw new AssertionError("injected error " + call);
                    default -> throwUndeclared(new SparkException("injected Spark failure " + call));
                }
            }
            table.addAll(batch);
        }, recorded, new PrintStream(log, true), sparkStopped::get, 20);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void throwUndeclared(Throwable t) throws E {
        throw (E) t;
    }

    @Test
    void aFailedCommitIsSaidAndRetriedAndLaterOutcomesStillLandOnce() throws Exception {
        BatchCommitter<String> c = committer(3, Set.of("t0"));
        c.submit("t1");
        Thread.sleep(100);
        c.submit("t2");
        c.submit("t1");
        c.submit("t0");
        c.close();
        assertThat(table).containsExactlyInAnyOrder("t1", "t2");
        assertThat(log.toString()).contains("could not record 1 outcome(s)").contains("injected failure 1")
                .contains("injected error 2").contains("injected Spark failure 3").contains("retrying");
        assertThat(c.unrecorded()).isZero();
    }

    @Test
    void aCommitFailingAfterSparkWasStoppedEndsTheCommitterWithoutRetries() {
        sparkStopped.set(true);
        BatchCommitter<String> c = committer(1_000, Set.of());
        c.submit("t1");
        assertThatThrownBy(c::close).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("safe in the results directory's files");
        assertThat(calls).as("commits tried").hasValue(1);
        assertThat(log.toString()).contains("Spark was shut down: 1 outcome(s) not recorded").doesNotContain("retrying");
        assertThat(table).isEmpty();
    }

    @Test
    void theTablesLagWhileCommitsFail() throws Exception {
        BatchCommitter<String> c = committer(1_000, Set.of());
        c.submit("t1");
        c.submit("t2");
        long deadline = System.currentTimeMillis() + 5_000;
        while (c.unrecorded() < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(c.unrecorded()).isEqualTo(2);
        assertThatThrownBy(c::close).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("safe in the results directory's files");
        assertThat(table).isEmpty();
    }
}
