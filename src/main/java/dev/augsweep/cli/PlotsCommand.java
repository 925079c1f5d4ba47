package dev.augsweep.cli;

import dev.augsweep.data.Dataset;
import dev.augsweep.report.PaperTable;
import dev.augsweep.report.Plots;
import dev.augsweep.report.ResultsViews;
import dev.augsweep.report.TablesReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code augsweep plots}: the tables as charts and learning curves, as PNG files. */
@Command(name = "plots", mixinStandardHelpOptions = true,
        description = {"PNG charts of a sweep: accuracy per augmentation combination and against colour strength",
                "(paper values marked), and kNN accuracy and loss per epoch for chosen trials."})
final class PlotsCommand implements Callable<Integer> {
    @Mixin
    ResultsOption results;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the PNGs go (default: <results>/plots)")
    Path out;

    @Option(names = "--trials", split = ",", paramLabel = "ID",
            description = "Trials for the learning curves (default: the best trial of each method)")
    List<String> trials = new ArrayList<>();

    @Mixin
    ReportOptions report;

    @Override
    public Integer call() {
        System.setProperty("java.awt.headless", "true");
        Path resultsDir = results.resolve();
        Path dir = out != null ? out : resultsDir.resolve("plots");
        try (ResultsViews views = ResultsViews.open(resultsDir)) {
            List<Path> written = new ArrayList<>();
            for (TablesReport.Report r : report.build(views)) {
                // CIFAR-10's charts keep their plain names; other datasets' carry theirs.
                String suffix = r.scale().dataset() == Dataset.CIFAR10 ? "" : "-" + r.scale().dataset().key();
                written.add(Plots.combinations(r, dir, suffix));
                written.add(Plots.colorStrength(r, dir, suffix));
                written.addAll(Plots.learningCurves(views.epochs(), trials.isEmpty() ? bestPerMethod(views, r)
                        : trials, dir, suffix));
            }
            written.forEach(p -> System.out.println("wrote " + p));
        }
        return 0;
    }

    private static List<String> bestPerMethod(ResultsViews views, TablesReport.Report r) {
        List<String> ids = new ArrayList<>();
        for (String method : PaperTable.METHOD_ORDER) {
            List<Row> best = views.spark().sql("SELECT trial_id FROM trials WHERE status = 'finished' AND method = '"
                    + method + "' AND dataset = '" + r.scale().dataset().key() + "' AND epochs = " + r.scale().epochs() + " AND width = " + r.scale().width()
                    + " AND train_limit = " + r.scale().trainLimit() + " AND test_limit = " + r.scale().testLimit()
                    + " ORDER BY knn_top1_best DESC LIMIT 1").collectAsList();
            best.forEach(row -> ids.add(row.getString(0)));
        }
        return ids;
    }
}
