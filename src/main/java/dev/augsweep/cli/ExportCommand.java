package dev.augsweep.cli;

import dev.augsweep.report.CsvTables;
import dev.augsweep.report.ResultsViews;
import dev.augsweep.report.TableFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code augsweep export}: a snapshot of a sweep's results small enough for git, readable as --results. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a snapshot of a sweep's results, small enough for git: CSV tables, tables.md and the "
                        + "plots.",
                "Each table as NAME.csv (trials, epochs, and concentration where measured), the paper's tables "
                        + "as tables.md, and the plots under plots/. tables, sql, plots and the notebook read the snapshot "
                        + "with --results DIR.",
                "Example: augsweep export --results results/cpu-paper --out docs/results/cpu-paper"})
final class ExportCommand implements Callable<Integer> {
    @Mixin
    ResultsOption results;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Snapshot directory")
    Path out;

    @Mixin
    ReportOptions report;

    @Override
    public Integer call() throws Exception {
        System.setProperty("java.awt.headless", "true");
        try (ResultsViews views = results.open(); SlowStep s = SlowStep.start("writing the snapshot into " + out)) {
            Files.createDirectories(out);
            for (var table : ResultsViews.TABLES.entrySet()) {
                if (views.has(table.getKey())) {
                    System.out.println("wrote " + CsvTables.write(views.spark().table(table.getKey()), table.getValue(),
                            out, table.getKey()));
                }
            }
            Path tables = Files.writeString(out.resolve("tables.md"), report.text(views, TableFormat.md));
            System.out.println("wrote " + tables);
            report.plots(views, List.of(), out.resolve("plots")).forEach(p -> System.out.println("wrote " + p));
        }
        return 0;
    }
}
