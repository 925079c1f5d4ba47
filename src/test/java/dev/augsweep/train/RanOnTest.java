package dev.augsweep.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.model.MemoryLayout;
import dev.augsweep.storage.StorePath;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where each epoch ran: spans of a resumed trial, kept across checkpoints, and older checkpoints still read. */
class RanOnTest {
    private static final RanOn NATIVE = new RanOn("AMD EPYC", "libtorch native");
    private static final RanOn AVX2 = new RanOn("AMD EPYC", "oneDNN AVX2");
    private static final RanOn XEON = new RanOn("Intel Xeon", "oneDNN");

    @Test
    void aTrialResumedOnOtherKernelsAndAnotherMachineSaysSo() {
        List<EpochMetrics> epochs = List.of(epoch(1, NATIVE, false), epoch(2, NATIVE, false), epoch(3, AVX2, true),
                epoch(4, AVX2, false), epoch(5, XEON, true));
        assertThat(RanOn.spans(epochs)).isEqualTo("1-2 AMD EPYC, libtorch native; 3-4 AMD EPYC, oneDNN AVX2; "
                + "5 Intel Xeon, oneDNN");
        assertThat(RanOn.models(epochs)).isEqualTo("AMD EPYC + Intel Xeon");
        assertThat(RanOn.spans(List.of(epoch(1, AVX2, false), epoch(2, AVX2, false))))
                .isEqualTo("1-2 AMD EPYC, oneDNN AVX2");
        assertThat(RanOn.models(List.of(epoch(1, RanOn.UNRECORDED, false)))).isNull();
    }

    @Test
    void aCheckpointKeepsWhereEachEpochRan(@TempDir Path dir) throws Exception {
        StorePath at = StorePath.local(dir);
        List<EpochMetrics> epochs = List.of(epoch(1, NATIVE, false), epoch(2, AVX2, true),
                epoch(3, new RanOn(null, "cuda"), true));
        new Checkpoint("t", 3, 0.1, 1, MemoryLayout.NCHW, Map.of(), epochs, Map.of(), Map.of()).write(at);
        assertThat(Checkpoint.read(at).metrics()).isEqualTo(epochs);
    }

    /** A sweep that was running when augsweep was updated resumes its trials from their version-2 checkpoints. */
    @Test
    void aVersionTwoCheckpointIsReadWithItsEpochsUnrecorded(@TempDir Path dir) throws Exception {
        try (OutputStream file = Files.newOutputStream(dir.resolve(Checkpoint.FILE));
             DataOutputStream out = new DataOutputStream(file)) {
            writeVersionTwo(out);
        }
        Checkpoint c = Checkpoint.read(StorePath.local(dir));
        assertThat(c.epochsDone()).isEqualTo(1);
        assertThat(Checkpoint.epochsDone(StorePath.local(dir))).isEqualTo(1);
        assertThat(c.metrics()).singleElement().satisfies(m -> {
            assertThat(m.loss()).isEqualTo(4.5);
            assertThat(m.ranOn()).isEqualTo(RanOn.UNRECORDED);
        });
        assertThat(RanOn.spans(c.metrics())).isEqualTo("1 unknown CPU, kernels unrecorded");
    }

    /** The layout augsweep wrote before checkpoint format 3: one epoch, no counters, no arrays. */
    private static void writeVersionTwo(DataOutputStream out) throws IOException {
        out.writeUTF("augsweep-checkpoint");
        out.writeInt(2);
        out.writeUTF("t");
        out.writeInt(1);
        out.writeDouble(0.1);
        out.writeInt(1);
        out.writeUTF(MemoryLayout.NCHW.name());
        out.writeInt(0);
        out.writeInt(1);
        out.writeInt(1);
        out.writeDouble(4.5);
        out.writeDouble(Double.NaN);
        for (int i = 0; i < 4; i++) {
            out.writeDouble(1);
        }
        out.writeBoolean(false);
        out.writeInt(0);
        out.writeUTF("augsweep-checkpoint");
    }

    private static EpochMetrics epoch(int n, RanOn where, boolean resumed) {
        return new EpochMetrics(n, 5, null, 0.1, 1, 0, 100, resumed, where);
    }
}
