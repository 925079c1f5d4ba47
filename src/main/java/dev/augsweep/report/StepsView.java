package dev.augsweep.report;

import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.report.stats.Comparison;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code steps} view: every step of the report {@code augsweep tables} prints by default (each dataset's main
 * scale and its variants, the trials' own release), with the same test, interval, corrected p and verdict; the
 * paper's own step corrected the same way (and whether it is within the paper's noise), the corrected p under a
 * family per table or per method, and the verdicts that change when one seed is left out ("seed 3: reversed").
 */
public final class StepsView {
    public static final StructType SCHEMA = new StructType()
            .add("dataset", DataTypes.StringType).add("scale", DataTypes.StringType)
            .add("variant", DataTypes.StringType).add("table", DataTypes.StringType)
            .add("method", DataTypes.StringType).add("first", DataTypes.StringType)
            .add("second", DataTypes.StringType).add("difference", DataTypes.DoubleType)
            .add("ci_low", DataTypes.DoubleType).add("ci_high", DataTypes.DoubleType)
            .add("p", DataTypes.DoubleType).add("p_holm", DataTypes.DoubleType)
            .add("test", DataTypes.StringType).add("seeds", DataTypes.IntegerType)
            .add("paper_difference", DataTypes.DoubleType).add("verdict", DataTypes.StringType)
            .add("seeds_for_80", DataTypes.IntegerType)
            .add("paper_p_holm", DataTypes.DoubleType).add("paper_within_noise", DataTypes.BooleanType)
            .add("p_holm_per_table", DataTypes.DoubleType).add("p_holm_per_method", DataTypes.DoubleType)
            .add("fragile_without", DataTypes.StringType);

    private StepsView() {
    }

    public static Dataset<Row> of(SparkSession spark, Dataset<Row> trials, Dataset<Row> concentration) {
        List<Row> rows = new ArrayList<>();
        List<TablesReport.Report> reports;
        try {
            reports = TablesReport.build(trials, concentration, TablesReport.MAIN_SCALES, 0, false);
        } catch (InvalidConfigException e) {
            reports = List.of(); // no finished trials yet: no steps
        }
        for (TablesReport.StepRow r : TablesReport.steps(reports)) {
            Agreement.Step s = r.step();
            Comparison c = s.test();
            rows.add(RowFactory.create(r.scale().dataset().key(), r.scale().describe(), r.scale().variant(), r.table(),
                    r.method(), s.first(), s.second(), c == null ? null : c.difference(), c == null ? null : nan(c.low()),
                    c == null ? null : nan(c.high()), c == null ? null : nan(c.p()), nan(s.pHolm()),
                    c == null ? null : c.test(), s.minSeeds(), s.paper(), s.verdict().words(), s.seedsFor80(),
                    nan(s.context().paperHolm()), s.context().paperWithinNoise(),
                    nan(s.context().otherFamilies().getOrDefault(StepVerdicts.PER_TABLE, Double.NaN)),
                    nan(s.context().otherFamilies().getOrDefault(StepVerdicts.PER_METHOD, Double.NaN)),
                    s.context().withoutSeed().isEmpty() ? null : String.join(", ", s.context().withoutSeed()
                            .entrySet().stream().map(e -> "seed " + e.getKey() + ": " + e.getValue().words())
                            .toList())));
        }
        return spark.createDataFrame(rows, SCHEMA);
    }

    private static Double nan(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
