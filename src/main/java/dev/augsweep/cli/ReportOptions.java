package dev.augsweep.cli;

import dev.augsweep.report.Plots;
import dev.augsweep.report.ResultsViews;
import dev.augsweep.report.SearchReport;
import dev.augsweep.report.TableFormat;
import dev.augsweep.report.TablesReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** --paper and --scale, shared by the commands that lay results out as the paper's tables. */
final class ReportOptions {
    @Option(names = "--paper", paramLabel = "RELEASE", defaultValue = "0",
            description = "Published values of the 2021 or 2022 code release (default: the release the trials used)")
    int paper;

    @Option(names = "--scale", paramLabel = "N", defaultValue = "-1",
            description = "Show only the N-th scale listed under the tables (default: each dataset's scale with "
                    + "the most trials)")
    int scale;

    @Option(names = "--all-methods", description = "Also the paper's columns of methods with no cells in the results "
            + "(default: the methods that have cells)")
    boolean allMethods;

    @Option(names = "--include-stopped", description = "Also show cells a halving schedule stopped, marked with "
            + "the epoch of their rung (default: complete cells only)")
    boolean includeStopped;

    /** These options as the report code takes them. */
    TablesReport.Request request() {
        return new TablesReport.Request(scale, paper, allMethods, includeStopped);
    }

    /**
     * The tables as text: the paper's tables (unless the results hold searches alone, which have none) and each
     * search's report.
     */
    String text(ResultsViews views, TableFormat format) {
        return request().text(views, format);
    }

    /** Every chart: the paper's tables' and learning curves (unless searches alone), and each search's effects. */
    List<Path> plots(ResultsViews views, List<String> trials, Path dir) {
        List<Path> written = new ArrayList<>();
        if (!SearchReport.searchOnly(views.spark())) {
            written.addAll(Plots.writeAll(views, build(views), trials, dir));
        }
        SearchReport.build(views.spark()).forEach(s -> written.addAll(Plots.search(s, dir)));
        return written;
    }

    List<TablesReport.Report> build(ResultsViews views) {
        return request().build(views);
    }
}
