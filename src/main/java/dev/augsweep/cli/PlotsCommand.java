package dev.augsweep.cli;

import dev.augsweep.report.ResultsViews;
import dev.augsweep.storage.StorePath;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code augsweep plots}: the tables as charts and learning curves, as PNG files. */
@Command(name = "plots", mixinStandardHelpOptions = true,
        description = {"PNG charts of a sweep's results: the paper's tables as charts, learning curves, and a search's "
                        + "settings.",
                "Accuracy per augmentation combination and against colour strength (the paper's values marked), "
                        + "the same standardised so that our shape and the paper's overlay, kNN accuracy and loss per "
                        + "epoch for chosen trials, and a search's score against each sampled setting."})
final class PlotsCommand implements Callable<Integer> {
    @Mixin
    ResultsOption results;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the PNGs go (default: <results>/plots; "
            + "plots/<name> here for results on HDFS or "
            + "an object store, plots/<first name>-joined for several)")
    Path out;

    @Option(names = "--trials", split = ",", paramLabel = "ID",
            description = "Trials for the learning curves (default: the best trial of each method)")
    List<String> trials = new ArrayList<>();

    @Mixin
    ReportOptions report;

    @Override
    public Integer call() {
        System.setProperty("java.awt.headless", "true");
        List<StorePath> dirs = results.resolveAll();
        Path dir = out != null ? out : defaultOut(dirs);
        try (ResultsViews views = results.open(); SlowStep s = SlowStep.start("drawing the plots into " + dir)) {
            report.plots(views, trials, dir).forEach(p -> System.out.println("wrote " + p));
        }
        return 0;
    }

    /** Beside the results when they are one local directory; else plots/NAME here (NAME-joined for several). */
    private static Path defaultOut(List<StorePath> dirs) {
        StorePath first = dirs.get(0);
        if (dirs.size() > 1) {
            return Path.of("plots", first.name() + "-joined");
        }
        return first.isLocal() ? first.toLocalPath().resolve("plots") : Path.of("plots", first.name());
    }
}
