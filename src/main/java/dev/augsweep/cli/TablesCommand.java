package dev.augsweep.cli;

import dev.augsweep.report.Provenance;
import dev.augsweep.report.StalledRuns;
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
        description = {"The paper's tables from a sweep's results, beside the published values.",
                "Augmentation combinations and colour strength: each cell's mean ± population std over seeds, "
                        + "the published value and the difference, its gain over the untrained control, and every step "
                        + "between rows with its test and verdict."})
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
            String text;
            try (SlowStep s = SlowStep.start("computing the tables")) {
                text = report.text(views, format);
            }
            if (out == null) {
                System.out.print(text);
            } else {
                Files.createDirectories(out);
                Path file = out.resolve("tables." + format.extension());
                Files.writeString(file, text);
                System.out.println("wrote " + file);
            }
            String about = String.join(" ", results.resolveAll().stream().map(Object::toString).toList());
            java.util.List<String> warnings = new java.util.ArrayList<>(Provenance.warnings(views));
            warnings.addAll(StalledRuns.warnings(views));
            warnings.forEach(w -> {
                if (w.startsWith("note:")) {
                    OnceNotes.say(System.err, about, w);
                } else {
                    System.err.println(w);
                }
            });
        }
        return 0;
    }
}
