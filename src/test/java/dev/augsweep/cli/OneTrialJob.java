package dev.augsweep.cli;

import dev.augsweep.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;

/** The job the error tests hand to run: one tiny SimCLR trial on the test archive (it fails before training). */
final class OneTrialJob {
    private OneTrialJob() {
    }

    static Path write(Path dir) throws Exception {
        Path job = dir.resolve("job.conf");
        Files.writeString(job, "name = errors\ngrid { method = [simclr], augs = [a], seed = [0] }\n"
                + "trial { epochs = 1, width = 0.125, train-limit = 256, test-limit = 100, batch-size = 64, data = \""
                + TestData.archive().toAbsolutePath() + "\" }\n");
        return job;
    }
}
