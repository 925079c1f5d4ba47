package dev.augsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.report.ResultsViews;
import dev.augsweep.report.TableFormat;
import dev.augsweep.storage.StorePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The figures the README and the CPU-scale guide quote from the shipped snapshot are what {@code tables} prints for
 * it, and the snapshot's tables.md is that output: written once from {@code tables}, they cannot drift apart when
 * the snapshot or the report changes.
 */
class ShippedFiguresTest {
    private static final Path SNAPSHOT = Path.of("docs", "results", "cpu-paper-v2");
    /** Where a document quotes the snapshot's tables: between these two comments (invisible on GitHub). */
    private static final Pattern SECTION = Pattern.compile(
            "<!-- figures: docs/results/cpu-paper-v2/tables\\.md -->(.*?)<!-- /figures -->", Pattern.DOTALL);
    /**
     * A cell (mean ± std), a difference with its interval, a p (Holm's or not), a Spearman coefficient: the figures a
     * verdict rests on.
     */
    private static final Pattern FIGURE = Pattern.compile("\\d+\\.\\d+ ± \\d+\\.\\d+|[+-]\\d+\\.\\d+ \\[[+-]\\d+\\.\\d+, "
            + "[+-]\\d+\\.\\d+]|Holm p <?\\d\\.\\d{3}|\\bp <?\\d\\.\\d{3}|Spearman -?\\d\\.\\d\\d");

    @Test
    void theSnapshotsTablesAreWhatTablesPrintsForIt() throws Exception {
        ReportOptions defaults = new ReportOptions();
        defaults.scale = -1;
        try (ResultsViews views = ResultsViews.open(List.of(StorePath.local(SNAPSHOT)))) {
            assertThat(defaults.text(views, TableFormat.md))
                    .as("docs/results/cpu-paper-v2/tables.md is stale: rerun ./augsweep export for the snapshot")
                    .isEqualTo(Files.readString(SNAPSHOT.resolve("tables.md")));
        }
    }

    @Test
    void everyFigureQuotedFromTheSnapshotIsInItsTables() throws IOException {
        String tables = Files.readString(SNAPSHOT.resolve("tables.md"));
        for (Path doc : List.of(Path.of("README.md"), Path.of("docs", "paper-at-cpu-scale.md"))) {
            List<String> quoted = quotedFigures(Files.readString(doc));
            assertThat(quoted).as("figures quoted from the snapshot in " + doc).isNotEmpty();
            assertThat(quoted.stream().filter(f -> !tables.contains(f)).toList())
                    .as(doc + ": figures not in " + SNAPSHOT.resolve("tables.md")).isEmpty();
        }
    }

    /** The figures inside a document's marked sections, with its typographic minus read as tables prints it. */
    private static List<String> quotedFigures(String doc) {
        List<String> figures = new ArrayList<>();
        Matcher section = SECTION.matcher(doc.replace('−', '-'));
        while (section.find()) {
            Matcher figure = FIGURE.matcher(section.group(1));
            while (figure.find()) {
                figures.add(figure.group());
            }
        }
        return figures;
    }
}
