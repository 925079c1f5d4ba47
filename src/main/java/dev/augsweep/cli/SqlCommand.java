package dev.augsweep.cli;

import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.config.KeyCheck;
import dev.augsweep.report.AsciiTable;
import dev.augsweep.report.ResultsViews;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoStatement;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code augsweep sql}: any Spark SQL over the views a results directory holds. */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Run Spark SQL over a sweep's results, which it only reads.",
                "Views: trials (one row per trial; cell_id = every setting but the seed; knn_top1_init = the "
                        + "untrained control), epochs (one row per trial and epoch; epoch 0 = the control), steps (every "
                        + "step of the tables with its test and verdict), concentration where measured, and paper (the "
                        + "published values).",
                "Example: augsweep sql \"SELECT cell_id, method, augs, avg(knn_top1_best) FROM trials WHERE "
                        + "status = 'finished' GROUP BY ALL\""})
final class SqlCommand implements Callable<Integer> {
    /** A query that names the steps view (which costs the tables' computation). */
    private static final java.util.regex.Pattern STEPS = java.util.regex.Pattern.compile("(?i)\\bsteps\\b");

    @Mixin
    ResultsOption results;

    @Option(names = "--format", defaultValue = "table", description = "table or csv (default ${DEFAULT-VALUE})")
    String format;

    @Parameters(paramLabel = "QUERY", description = "A SELECT statement")
    String query;

    @Override
    public Integer call() {
        if (!format.equals("table") && !format.equals("csv")) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--format must be table or csv, got " + format);
        }
        try (ResultsViews views = results.open()) {
            if (STEPS.matcher(query).find()) { // the steps view is the tables' verdicts: computed only when asked for
                try (SlowStep s = SlowStep.start("computing the steps view (the tables' verdicts)")) {
                    views.withSteps();
                }
            }
            refuseChanges(views);
            Dataset<Row> result;
            try {
                result = views.spark().sql(query);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) { // AnalysisException: checked in Java's eyes, thrown by Scala
                throw e instanceof AnalysisException a ? unknownView(a, views) : new IllegalStateException(e);
            }
            List<String> header = Arrays.asList(result.columns());
            List<List<String>> rows = new ArrayList<>();
            List<Row> collected;
            try (SlowStep s = SlowStep.start("running the query")) {
                collected = result.collectAsList();
            }
            for (Row r : collected) {
                List<String> cells = new ArrayList<>();
                for (int i = 0; i < r.size(); i++) {
                    cells.add(text(r.get(i), format.equals("csv")));
                }
                rows.add(cells);
            }
            if (format.equals("csv")) {
                System.out.println(String.join(",", header));
                rows.forEach(r -> System.out.println(String.join(",", r)));
            } else {
                System.out.print(AsciiTable.render(header, rows));
                System.out.println("(" + rows.size() + " row" + (rows.size() == 1 ? "" : "s") + ")");
            }
        }
        return 0;
    }

    /**
     * sql reads results and never changes them: the views are Delta tables underneath, and DELETE or UPDATE would
     * reach them. Queries, and the commands that only show (SHOW, DESCRIBE, EXPLAIN), pass.
     */
    private void refuseChanges(ResultsViews views) {
        LogicalPlan plan;
        try {
            plan = views.spark().sessionState().sqlParser().parsePlan(query);
        } catch (Exception e) {
            return; // Spark says what is wrong with it when it runs it
        }
        boolean reads = !(plan instanceof org.apache.spark.sql.catalyst.plans.logical.Command || plan instanceof InsertIntoStatement)
                || SHOWING.contains(plan.getClass().getSimpleName());
        if (!reads) {
            throw new InvalidConfigException("sql", List.of("sql only reads results, and '" + query.strip()
                    + "' would change them; results change only through augsweep run (--retry-failed reruns failed "
                    + "trials). Ask with SELECT, e.g. augsweep sql \"SELECT * FROM trials WHERE status = 'failed'\""));
        }
    }

    /** Commands that show and change nothing. */
    private static final Set<String> SHOWING = Set.of("ShowTables", "ShowViews", "ShowColumns", "ShowFunctions",
            "DescribeRelation", "DescribeColumn", "DescribeFunction", "ExplainCommand", "ShowTableExtended");

    /** A view that is not there, named with the views that are; other analysis errors as they are. */
    private static RuntimeException unknownView(AnalysisException e, ResultsViews views) {
        String missing = e.getMessageParameters().get("relationName");
        if (!"TABLE_OR_VIEW_NOT_FOUND".equals(e.getCondition()) || missing == null) {
            return new IllegalStateException(e.getSimpleMessage(), e); // UserErrors reads the analysis error in it
        }
        String name = missing.replace("`", "");
        List<String> known = new ArrayList<>(views.views());
        if (!known.contains("steps")) {
            known.add("steps"); // made only for a query that names it
        }
        return new InvalidConfigException("sql", List.of("these results have no view " + name
                + KeyCheck.didYouMean(name, known) + "; their views are " + String.join(", ", known)));
    }

    private static String json(scala.collection.Map<?, ?> m) {
        java.util.Map<String, Object> sorted = new java.util.TreeMap<>();
        scala.jdk.javaapi.CollectionConverters.asJava(m).forEach((k, v) -> sorted.put(String.valueOf(k), v));
        return com.typesafe.config.ConfigValueFactory.fromMap(sorted)
                .render(com.typesafe.config.ConfigRenderOptions.concise());
    }

    private static String text(Object v, boolean csv) {
        if (v == null) {
            return csv ? "" : "null";
        }
        if (v instanceof Double d && !csv) {
            return String.format(Locale.ROOT, "%.4f", d).replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        // A search's sampled settings (maps) as JSON, as exports write them: {"lr":0.1848,"strength":0.7134}.
        String s = v instanceof scala.collection.Map<?, ?> m ? json(m) : v.toString();
        return csv && (s.contains(",") || s.contains("\"") || s.contains("\n"))
                ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
