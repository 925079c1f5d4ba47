package dev.augsweep.cli;

import dev.augsweep.report.Provenance;
import dev.augsweep.report.ResultsViews;
import dev.augsweep.report.TableFormat;
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

    @Mixin
    ReportOptions report;

    @Override
    public Integer call() throws Exception {
        try (ResultsViews views = results.open()) {
            String text = report.text(views, format);
            if (out == null) {
                System.out.print(text);
            } else {
                Files.createDirectories(out);
                Path file = out.resolve("tables." + format.extension());
                Files.writeString(file, text);
                System.out.println("wrote " + file);
            }
            Provenance.warnings(views).forEach(System.err::println);
        }
        return 0;
    }
}
