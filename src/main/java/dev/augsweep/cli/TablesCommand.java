package dev.augsweep.cli;

import dev.augsweep.report.ResultsViews;
import dev.augsweep.report.TableFormat;
import dev.augsweep.report.TablesReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code augsweep tables}: the paper's two tables from a results store, beside the published numbers. */
@Command(name = "tables", mixinStandardHelpOptions = true,
        description = {"The paper's tables (augmentation combinations, colour strength) from a sweep's results,",
                "each cell mean ± population std over seeds, beside the published value and the difference."})
final class TablesCommand implements Callable<Integer> {
    @Mixin
    ResultsOption results;

    @Option(names = "--format", defaultValue = "md", description = "md, csv or html (default ${DEFAULT-VALUE})")
    TableFormat format;

    @Option(names = "--out", paramLabel = "DIR", description = "Write tables.<format> there instead of printing")
    Path out;

    @Option(names = "--paper", paramLabel = "RELEASE", defaultValue = "0",
            description = "Published values of the 2021 or 2022 code release (default: the release the trials used)")
    int paper;

    @Option(names = "--scale", paramLabel = "N", defaultValue = "0",
            description = "Which scale to show when the results hold several (0: the one with the most trials)")
    int scale;

    @Override
    public Integer call() throws Exception {
        if (paper != 0 && paper != 2021 && paper != 2022) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--paper must be 2021 or 2022, got " + paper);
        }
        try (ResultsViews views = ResultsViews.open(results.resolve())) {
            TablesReport.Report r = TablesReport.build(views.trials(), scale, paper);
            String text = format == TableFormat.csv
                    ? TableFormat.csvHeader() + format.render(r.combinations(), "") + format.render(r.colorStrength(), "")
                    : format.render(r.combinations(), r.scaleNote()) + format.render(r.colorStrength(), r.scaleNote());
            if (out == null) {
                System.out.print(text);
            } else {
                Files.createDirectories(out);
                Path file = out.resolve("tables." + format.extension());
                Files.writeString(file, text);
                System.out.println("wrote " + file);
            }
        }
        return 0;
    }
}
