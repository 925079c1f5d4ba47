package dev.augsweep.cli;

import dev.augsweep.job.SweepJob;
import dev.augsweep.job.SweepJobs;
import dev.augsweep.driver.SweepDriver;
import dev.augsweep.sweep.LiveSweep;
import dev.augsweep.sweep.SweepRunner;
import dev.augsweep.ui.DashboardServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code augsweep run}: a whole sweep as a Spark application, locally or under spark-submit. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a sweep: one Spark task per trial, results in Delta tables under --results.",
                "Running again with the same --results skips finished trials and resumes unfinished ones.",
                "While it runs, a read-only dashboard shows its progress, trials, curves and tables in a browser: "
                        + "its address is printed at the start (docs/dashboard.md).",
                "Example: augsweep run jobs/smoke.conf",
                "Example: augsweep run jobs/paper-augmentations.conf --master spark://host:7077 epochs=100"})
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "JOB.conf", description = "Sweep definition (see jobs/)")
    Path job;

    @Parameters(index = "1..*", paramLabel = "key=value", description = "Trial settings applied to every trial, "
            + "e.g. epochs=1 width=0.25 (the keys of augsweep train)")
    List<String> overrides = new ArrayList<>();

    @Mixin
    DriverOptions driver;

    @Option(names = "--retry-failed", description = "Run trials recorded as failed again")
    boolean retryFailed;

    @Mixin
    UiOptions ui;

    @Option(names = "--no-ui", description = "Serve no dashboard while the sweep runs")
    boolean noUi;

    @Override
    public Integer call() {
        SweepJob sweep = SweepJobs.load(job, overrides, driver.maxTrials);
        sweep.warnings().forEach(w -> System.err.println("warning: " + w));
        SweepDriver.Options options = driver.options(sweep, retryFailed, new picocli.CommandLine(this));
        LiveSweep live = noUi ? null : new LiveSweep(sweep, options.results());
        SweepRunner.Summary s;
        try (DashboardServer server = live == null ? null : DashboardServer.live(live, ui.host, ui.port)) {
            if (server != null) {
                System.out.println(UiOptions.address(server, "sweep " + sweep.name()));
            }
            s = new SweepRunner(System.out).run(sweep, options, live);
        }
        System.out.printf("[sweep] %s: %d of %d trials finished, %d failed%s; tables: %s%n", sweep.name(), s.finished(),
                s.total(), s.failed(), s.stopped() > 0 ? ", " + s.stopped() + " stopped by the schedule" : "",
                driver.results(sweep).resolve("tables"));
        return s.failed() > 0 ? 3 : 0;
    }
}
