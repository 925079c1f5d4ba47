package dev.augsweep.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BatchCommitterTest {
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final List<String> table = Collections.synchronizedList(new ArrayList<>());

    /** A commit that fails {@code failures} times (with an Error too), then appends. */
    private BatchCommitter<String> committer(int failures, Set<String> recorded) {
        AtomicInteger calls = new AtomicInteger();
        return new BatchCommitter<>(s -> s, batch -> {
            int call = calls.incrementAndGet();
            if (call <= failures) {
                if (call % 2 == 0) {
                    throw new AssertionError("injected error " + call);
                }
                throw new IllegalStateException("injected failure " + call);
            }
            table.addAll(batch);
        }, recorded, new PrintStream(log, true), 20);
    }

    @Test
    void aFailedCommitIsSaidAndRetriedAndLaterOutcomesStillLandOnce() throws Exception {
        BatchCommitter<String> c = committer(2, Set.of("t0"));
        c.submit("t1");
        Thread.sleep(100);
        c.submit("t2");
        c.submit("t1");
        c.submit("t0");
        c.close();
        assertThat(table).containsExactlyInAnyOrder("t1", "t2");
        assertThat(log.toString()).contains("could not record 1 outcome(s)").contains("injected failure 1")
                .contains("injected error 2").contains("retrying");
        assertThat(c.unrecorded()).isZero();
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
