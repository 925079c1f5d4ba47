package dev.augsweep.driver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.storage.StorePath;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A workload that proposes as results arrive (a tpe search) is asked for its next unit only when a task slot is
 * free, whatever the master: on a master the user names (a standalone cluster), no task slots are kept for
 * commits, and the driver used to ask for every proposal at once, before any result had arrived.
 */
class SweepDriverProposalsTest {
    /** Proposes one unit at a time, up to {@code total}; records how many were in flight at each proposal. */
    static final class Proposing implements Workload<Integer, Integer> {
        final int total;
        final List<Integer> inFlightAtProposal = new ArrayList<>();
        int proposed;
        int arrived;

        Proposing(int total) {
            this.total = total;
        }

        @Override
        public List<Integer> start() {
            return List.of();
        }

        @Override
        public String describe(Integer unit) {
            return "unit " + unit;
        }

        @Override
        public Function<Integer, Integer> task() {
            return unit -> {
                Thread.sleep(100);
                return unit;
            };
        }

        @Override
        public Integer failedForGood(Integer unit, String reason) {
            return -1;
        }

        @Override
        public List<Integer> next() {
            if (proposed == total) {
                return List.of();
            }
            inFlightAtProposal.add(proposed - arrived);
            return List.of(proposed++);
        }

        @Override
        public List<Integer> arrived(Integer unit, Integer outcome) {
            arrived++;
            return List.of();
        }

        @Override
        public void status(int running) {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aProposingWorkloadIsAskedOnlyWhenATaskSlotIsFreeOnANamedMaster(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("job.conf");
        java.nio.file.Files.writeString(job, "name = proposals\n");
        Proposing workload = new Proposing(12);
        int arrived = SweepDriver.run("proposals", job.toString(), new SweepDriver.Options(
                StorePath.local(dir.resolve("results")), "local[3]", Map.of("spark.ui.enabled", "false"), false),
                (spark, layout, guard) -> workload, w -> w.arrived);
        assertThat(arrived).isEqualTo(12);
        assertThat(workload.inFlightAtProposal).hasSize(12);
        // Three task slots: a proposal is made while at most two others run, so that it knows every other result.
        assertThat(workload.inFlightAtProposal).allMatch(n -> n <= 2);
        assertThat(workload.inFlightAtProposal.subList(0, 3)).containsExactly(0, 1, 2);
    }
}
