package dev.augsweep.report;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts of a results store: the two tables as charts (paper values marked) and learning curves. */
public final class Plots {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 620;
    /** One colour per method (simclr, moco, simsiam, barlowtwins): its bars and its paper markers match. */
    private static final List<Color> COLORS = List.of(new Color(0x1f77b4), new Color(0x2ca02c), new Color(0xff7f0e),
            new Color(0x9467bd));

    private Plots() {
    }

    /** Accuracy per augmentation combination, one bar group per combination, the paper's values as markers. */
    public static Path combinations(TablesReport.Report report, Path dir, String suffix) {
        CategoryChart chart = tableChart(report, report.combinations(), CategorySeries.CategorySeriesRenderStyle.Bar,
                "kNN top-1 per augmentation combination",
                "augmentations: (a) crop (b) blur (c) grayscale (d) colour jitter (e) flip");
        return save(chart, dir.resolve("combinations" + suffix + ".png"));
    }

    /** Accuracy against colour strength (doubling steps, evenly spaced), with error bars and the paper's markers. */
    public static Path colorStrength(TablesReport.Report report, Path dir, String suffix) {
        CategoryChart chart = tableChart(report, report.colorStrength(), CategorySeries.CategorySeriesRenderStyle.Line,
                "kNN top-1 vs colour-distortion strength", "colour strength s (jitter 0.8s, hue 0.2s; crop + jitter only)");
        return save(chart, dir.resolve("color_strength" + suffix + ".png"));
    }

    /** One series per method with runs (mean, std as error bars) and one marker series per published method. */
    private static CategoryChart tableChart(TablesReport.Report report, PaperTable t,
                                            CategorySeries.CategorySeriesRenderStyle style, String title, String xTitle) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(title + " (ours: " + report.scale().describe() + "; paper: 800 epochs, full scale)")
                .xAxisTitle(xTitle).yAxisTitle("kNN top-1 accuracy (%)").build();
        style(chart.getStyler());
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
        chart.getStyler().setOverlapped(style == CategorySeries.CategorySeriesRenderStyle.Line);
        for (String method : t.methods()) {
            List<Double> mean = new ArrayList<>();
            List<Double> err = new ArrayList<>();
            List<Double> paper = new ArrayList<>();
            for (String row : t.rows()) {
                PaperTable.Entry e = t.entry(row, method);
                mean.add(e.ours() == null ? null : e.ours().mean());
                err.add(e.ours() == null ? null : e.ours().std());
                paper.add(e.paper() == null ? null : e.paper().mean());
            }
            Color color = COLORS.get(PaperTable.METHOD_ORDER.indexOf(method));
            if (mean.stream().anyMatch(m -> m != null)) {
                CategorySeries s = chart.addSeries(method + " (ours, mean ± std)", t.rows(), mean, err);
                s.setChartCategorySeriesRenderStyle(style);
                s.setFillColor(color);
                s.setLineColor(color);
                s.setMarkerColor(color);
            }
            if (paper.stream().anyMatch(p -> p != null)) {
                CategorySeries s = chart.addSeries(method + " (paper " + report.paperRelease() + ")", t.rows(), paper);
                s.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
                s.setMarker(SeriesMarkers.DIAMOND);
                s.setMarkerColor(color.darker());
            }
        }
        return chart;
    }

    /** kNN accuracy and loss per epoch of the given trials, two charts. */
    public static List<Path> learningCurves(Dataset<Row> epochs, List<String> trialIds, Path dir, String suffix) {
        XYChart knn = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("kNN top-1 per epoch")
                .xAxisTitle("epoch").yAxisTitle("kNN top-1 accuracy (%)").build();
        XYChart loss = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Training loss per epoch")
                .xAxisTitle("epoch").yAxisTitle("loss (method's own scale)").build();
        style(knn.getStyler());
        style(loss.getStyler());
        for (String id : trialIds) {
            List<Row> rows = epochs.where(epochs.col("trial_id").equalTo(id)).orderBy("epoch").collectAsList();
            if (rows.isEmpty()) {
                continue;
            }
            List<double[]> acc = new ArrayList<>();
            List<double[]> l = new ArrayList<>();
            for (Row r : rows) {
                int e = r.<Integer>getAs("epoch");
                l.add(new double[] {e, r.<Double>getAs("loss")});
                if (r.getAs("knn_top1") != null) {
                    acc.add(new double[] {e, r.<Double>getAs("knn_top1")});
                }
            }
            knn.addSeries(id, column(acc, 0), column(acc, 1));
            loss.addSeries(id, column(l, 0), column(l, 1));
        }
        return List.of(save(knn, dir.resolve("knn_per_epoch" + suffix + ".png")),
                save(loss, dir.resolve("loss_per_epoch" + suffix + ".png")));
    }

    private static void style(Styler s) {
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setChartBackgroundColor(java.awt.Color.WHITE);
        s.setMarkerSize(8);
    }

    private static double[] column(List<double[]> rows, int c) {
        return rows.stream().mapToDouble(r -> r[c]).toArray();
    }

    private static Path save(Chart<?, ?> chart, Path file) {
        try {
            Files.createDirectories(file.getParent());
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
