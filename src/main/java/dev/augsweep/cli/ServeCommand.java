package dev.augsweep.cli;

import dev.augsweep.report.ResultsViews;
import dev.augsweep.ui.DashboardServer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code augsweep serve}: the dashboard over finished results, until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the dashboard over finished results, until Ctrl-C.",
                "The same read-only pages as a running sweep's (trials, curves, the paper's tables, the search report, "
                        + "concentration), read from the results as tables and sql read them (docs/dashboard.md).",
                "Example: augsweep serve --results docs/results/cpu-paper-v2"})
final class ServeCommand implements Callable<Integer> {
    @Mixin
    ResultsOption results;

    @Mixin
    UiOptions ui;

    @Override
    public Integer call() throws InterruptedException {
        ResultsViews views = ResultsViews.open(results.resolveAll());
        DashboardServer server;
        try {
            server = DashboardServer.serve(views, ui.host, ui.port);
        } catch (Exception e) { // Spark's checked exceptions too (rethrown as they are)
            views.close();
            throw e;
        }
        System.out.println(UiOptions.address(server, String.join(" + ", views.dirs().stream().map(String::valueOf)
                .toList())) + "; Ctrl-C stops it");
        new CountDownLatch(1).await(); // Ctrl-C ends the JVM (Interruption)
        return 0;
    }
}
