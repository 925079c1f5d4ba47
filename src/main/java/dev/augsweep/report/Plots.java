package dev.augsweep.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
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
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts of a results store: the two tables as charts (paper values marked) and learning curves. */
public final class Plots {
    private static final int WIDTH = 1100;
    private static final int HEIGHT = 620;
    private static final int CAPTION_HEIGHT = 28;
    /** The plot area inside a WIDTH x HEIGHT chart with a title, axis titles and the legend below, about. */
    private static final int PLOT_WIDTH = WIDTH - 110;
    private static final int PLOT_HEIGHT = HEIGHT - 170;
    /**
     * Each method's marker for the paper's values, in METHOD_ORDER: shapes that differ and, for the later ones,
     * show what lies under them, so that methods the paper scored alike (SimSiam and Barlow Twins) stay apart.
     */
    private static final List<org.knowm.xchart.style.markers.Marker> PAPER_MARKERS = List.of(SeriesMarkers.DIAMOND,
            SeriesMarkers.SQUARE, SeriesMarkers.CROSS, SeriesMarkers.PLUS);
    /** One colour per method (simclr, moco, simsiam, barlowtwins): its bars and its paper markers match. */
    private static final List<Color> COLORS = List.of(new Color(0x1f77b4), new Color(0x2ca02c), new Color(0xff7f0e),
            new Color(0x9467bd));

    private Plots() {
    }

    /**
     * Every chart of these results into {@code dir}: per dataset shown, the two tables (absolute and shape) and the
     * learning curves of {@code trialIds} (default: each method's best trial). CIFAR-10's keep plain names.
     */
    public static List<Path> writeAll(ResultsViews views, List<TablesReport.Report> reports, List<String> trialIds,
                                      Path dir) {
        List<Path> written = new ArrayList<>();
        for (TablesReport.Report r : reports) {
            String suffix = r.scale().dataset() == dev.augsweep.data.Dataset.CIFAR10 ? "" : "-" + r.scale().dataset().key();
            written.add(combinations(r, dir, suffix));
            written.add(colorStrength(r, dir, suffix));
            written.addAll(shapes(r, dir, suffix));
            for (PaperTable t : r.tables()) {
                concentration(r, t, dir, suffix).ifPresent(written::add);
            }
            written.addAll(learningCurves(views.epochs(), trialIds.isEmpty() ? bestPerMethod(views, r) : trialIds,
                    dir, suffix));
        }
        return written;
    }

    /**
     * A search's effects: per sampled setting, each cell's mean kNN top-1 (at the report's effect epoch) against
     * the setting, on a log axis for log-uniform ones.
     */
    public static List<Path> search(SearchReport report, Path dir) {
        List<Path> written = new ArrayList<>();
        for (SearchReport.Effect e : report.effects()) {
            XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                    .title(report.sweep() + ": kNN top-1 vs " + e.setting())
                    .xAxisTitle(e.setting() + " ~ " + e.distribution()).yAxisTitle("kNN top-1 (%), mean over seeds").build();
            style(chart.getStyler());
            chart.getStyler().setXAxisLogarithmic(e.logScale());
            chart.getStyler().setDefaultSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
            if (e.points().isEmpty()) {
                continue; // a choice of words: its importance is in the report, a scatter has no axis for it
            }
            double[] x = column(e.points(), 0);
            double[] y = column(e.points(), 1);
            chart.addSeries("cells (" + e.points().size() + ")", x, y);
            // Extreme points inside the frame: the data's range widened (by a factor on a log axis).
            double[] xr = e.logScale() ? java.util.Arrays.stream(padded(java.util.Arrays.stream(x).map(Math::log10)
                    .toArray(), 0.05)).map(v -> Math.pow(10, v)).toArray() : padded(x, 0.05);
            double[] yr = padded(y, 0.08);
            chart.getStyler().setXAxisMin(xr[0]).setXAxisMax(xr[1]).setYAxisMin(yr[0]).setYAxisMax(yr[1]);
            String caption = String.format(java.util.Locale.ROOT, "at epoch %d, the highest that %d cells reached; "
                    + "importance %s, Spearman rho %+.2f, permutation p (Holm) %s", report.effectEpoch(),
                    Math.min(SearchReport.ENOUGH_CELLS, report.cells()), Double.isNaN(e.importance()) ? "n/a"
                    : String.format(java.util.Locale.ROOT, "%.2f", e.importance()), e.rho(),
                    Double.isNaN(e.pHolm()) ? "n/a" : String.format(java.util.Locale.ROOT, "%.3g", e.pHolm()));
            written.add(save(chart, caption, dir.resolve(searchFile(report.sweep(), e.setting()))));
        }
        return written;
    }

    /** search-SWEEP-SETTING.png, without saying "search" twice for a sweep named search-...; safe characters only. */
    static String searchFile(String sweep, String setting) {
        String name = sweep.startsWith("search") ? sweep : "search-" + sweep;
        return (name + "-" + setting).replaceAll("[^A-Za-z0-9_.-]", "_") + ".png";
    }

    private static List<String> bestPerMethod(ResultsViews views, TablesReport.Report r) {
        List<String> ids = new ArrayList<>();
        Scale s = r.scale();
        for (String method : PaperTable.METHOD_ORDER) {
            views.spark().sql("SELECT trial_id FROM trials WHERE status = 'finished' AND method = '" + method
                            + "' AND dataset = '" + s.dataset().key() + "' AND epochs = " + s.epochs() + " AND width = "
                            + s.width() + " AND train_limit = " + s.trainLimit() + " AND test_limit = " + s.testLimit()
                            + " AND batch_size = " + s.batchSize() + " ORDER BY knn_top1_best DESC LIMIT 1")
                    .collectAsList().forEach(row -> ids.add(row.getString(0)));
        }
        return ids;
    }

    /** Accuracy per augmentation combination, one bar group per combination, the paper's values as markers. */
    static Path combinations(TablesReport.Report report, Path dir, String suffix) {
        CategoryChart chart = tableChart(report, report.combinations(), CategorySeries.CategorySeriesRenderStyle.Bar,
                "kNN top-1 per augmentation combination",
                "augmentations: (a) crop (b) blur (c) grayscale (d) colour jitter (e) flip");
        return save(chart, comparedScales(report), dir.resolve("combinations" + suffix + ".png"));
    }

    /** Accuracy against colour strength (doubling steps, evenly spaced), with error bars and the paper's markers. */
    static Path colorStrength(TablesReport.Report report, Path dir, String suffix) {
        CategoryChart chart = tableChart(report, report.colorStrength(), CategorySeries.CategorySeriesRenderStyle.Line,
                "kNN top-1 vs colour-distortion strength", "colour strength s (jitter 0.8s, hue 0.2s; crop + jitter only)");
        return save(chart, comparedScales(report), dir.resolve("color_strength" + suffix + ".png"));
    }

    /**
     * Both tables again with each side standardised over its own rows (z-scores per method: minus the mean of the
     * rows, over their spread), so that our curve and the paper's can be laid over each other: at CPU scale ours
     * sit 30-55 points under the paper's, and on one absolute axis the shapes hide. Only rows both sides have.
     */
    public static List<Path> shapes(TablesReport.Report report, Path dir, String suffix) {
        List<Path> written = new ArrayList<>();
        for (PaperTable t : List.of(report.combinations(), report.colorStrength())) {
            String xTitle = t.name().equals("combinations") ? "augmentations" : "colour strength s";
            CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                    .title(t.title() + ": shape (standardised)")
                    .xAxisTitle(xTitle).yAxisTitle("accuracy, standard deviations from the method's row mean").build();
            style(chart.getStyler());
            chart.getStyler().setOverlapped(true);
            for (String method : t.methods()) {
                List<String> rows = t.rows().stream()
                        .filter(r -> t.entry(r, method).ours() != null && t.entry(r, method).paper() != null).toList();
                if (rows.size() < 2) {
                    continue;
                }
                double[] ours = rows.stream().mapToDouble(r -> t.entry(r, method).ours().mean()).toArray();
                double[] paper = rows.stream().mapToDouble(r -> t.entry(r, method).paper().mean()).toArray();
                double oursSpread = spread(ours);
                List<Double> err = rows.stream().map(r -> t.entry(r, method).ours().std() / oursSpread).toList();
                Color color = COLORS.get(PaperTable.METHOD_ORDER.indexOf(method));
                CategorySeries s = chart.addSeries(method + " (ours, ± seeds' std)", rows, standardised(ours), err);
                s.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
                s.setLineColor(color);
                s.setMarkerColor(color);
                CategorySeries p = chart.addSeries(method + " (paper " + report.paperRelease() + ")", rows,
                        standardised(paper));
                p.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
                p.setLineStyle(SeriesLines.DASH_DASH);
                p.setMarker(paperMarker(method));
                p.setLineColor(color.darker());
                p.setMarkerColor(color.darker());
            }
            written.add(save(chart, comparedScales(report), dir.resolve(t.name() + "_shape" + suffix + ".png")));
        }
        return written;
    }

    /**
     * The paper's Figure 3 for these results: per setting of the table, 1 - sigma (at the middle delta measured)
     * against kNN error, one point per setting and method, labelled. Nothing when fewer than two rows were measured.
     */
    static java.util.Optional<Path> concentration(TablesReport.Report report, PaperTable t, Path dir, String suffix) {
        if (t.concentration() == null) {
            return java.util.Optional.empty();
        }
        int q = t.concentration().quantiles().size() / 2;
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(t.title() + ": concentration against error")
                .xAxisTitle("1 - sigma at delta quantile " + t.concentration().quantiles().get(q)
                        + " (smaller: sharper concentration)")
                .yAxisTitle("kNN top-1 error (%)").build();
        style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
        List<LabelPlacer.Point> labels = new ArrayList<>();
        for (String method : t.methods()) {
            List<String> rows = t.rows().stream().filter(r -> t.concentration(r) != null && t.entry(r, method).ours() != null)
                    .toList();
            if (rows.isEmpty()) {
                continue;
            }
            double[] x = rows.stream().mapToDouble(r -> t.concentration(r)[q]).toArray();
            double[] y = rows.stream().mapToDouble(r -> 100 - t.entry(r, method).ours().mean()).toArray();
            chart.addSeries(method, x, y).setMarkerColor(COLORS.get(PaperTable.METHOD_ORDER.indexOf(method)));
            for (int i = 0; i < rows.size(); i++) {
                labels.add(new LabelPlacer.Point(rows.get(i), x[i], y[i]));
            }
        }
        if (labels.size() < 2) {
            return java.util.Optional.empty();
        }
        // Labels beside their markers, none over another label or marker (they sat on their own points and
        // overlapped where settings concentrate alike).
        double[] xs = padded(labels.stream().mapToDouble(LabelPlacer.Point::x).toArray(), 0.12);
        double[] ys = padded(labels.stream().mapToDouble(LabelPlacer.Point::y).toArray(), 0.12);
        chart.getStyler().setXAxisMin(xs[0]).setXAxisMax(xs[1]).setYAxisMin(ys[0]).setYAxisMax(ys[1]);
        chart.getStyler().setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (LabelPlacer.Placed l : new LabelPlacer(xs[0], xs[1], ys[0], ys[1], PLOT_WIDTH, PLOT_HEIGHT, 7.5, 16,
                chart.getStyler().getMarkerSize() + 2).place(labels)) {
            chart.addAnnotation(new org.knowm.xchart.AnnotationText(l.label(), l.x(), l.y(), false));
        }
        return java.util.Optional.of(save(chart, "ours: " + report.scale().describe(),
                dir.resolve(t.name() + "_concentration" + suffix + ".png")));
    }

    /** The data's range widened by {@code share} of it on each side (a flat range by 1), so no point sits on the frame. */
    static double[] padded(double[] v, double share) {
        double lo = java.util.Arrays.stream(v).min().orElse(0);
        double hi = java.util.Arrays.stream(v).max().orElse(1);
        double pad = hi > lo ? (hi - lo) * share : 1;
        return new double[] {lo - pad, hi + pad};
    }

    private static List<Double> standardised(double[] v) {
        double mean = java.util.Arrays.stream(v).average().orElse(0);
        double spread = spread(v);
        return java.util.Arrays.stream(v).mapToObj(x -> (x - mean) / spread).toList();
    }

    /** Population standard deviation; 1 for a flat series, which then draws as a flat line. */
    private static double spread(double[] v) {
        double mean = java.util.Arrays.stream(v).average().orElse(0);
        double var = java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).average().orElse(0);
        return var > 0 ? Math.sqrt(var) : 1;
    }

    /** One series per method with runs (mean, std as error bars) and one marker series per published method. */
    private static CategoryChart tableChart(TablesReport.Report report, PaperTable t,
                                            CategorySeries.CategorySeriesRenderStyle style, String title, String xTitle) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(title)
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
            Control control = report.controls().get(method);
            if (control != null && mean.stream().anyMatch(m -> m != null)) {
                // The reference every cell is judged against: what the same networks score before training.
                List<Double> level = t.rows().stream().map(r -> control.mean()).toList();
                CategorySeries c = chart.addSeries(method + " (untrained control)", t.rows(), level);
                c.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
                c.setLineStyle(SeriesLines.DOT_DOT);
                c.setMarker(SeriesMarkers.NONE);
                c.setLineColor(color.brighter());
            }
            if (paper.stream().anyMatch(p -> p != null)) {
                CategorySeries s = chart.addSeries(method + " (paper " + report.paperRelease() + ")", t.rows(), paper);
                s.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
                s.setMarker(paperMarker(method));
                s.setMarkerColor(color.darker());
            }
        }
        return chart;
    }

    /** kNN accuracy and loss per epoch of the given trials, two charts. */
    static List<Path> learningCurves(Dataset<Row> epochs, List<String> trialIds, Path dir, String suffix) {
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
                if (r.getAs("loss") != null) { // epoch 0, the untrained control, has no training loss
                    l.add(new double[] {e, r.<Double>getAs("loss")});
                }
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

    /** The marker of {@code method}'s published values. */
    static org.knowm.xchart.style.markers.Marker paperMarker(String method) {
        return PAPER_MARKERS.get(PaperTable.METHOD_ORDER.indexOf(method));
    }

    private static void style(Styler s) {
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setChartBackgroundColor(Color.WHITE);
        s.setMarkerSize(8);
    }

    private static double[] column(List<double[]> rows, int c) {
        return rows.stream().mapToDouble(r -> r[c]).toArray();
    }

    private static String comparedScales(TablesReport.Report report) {
        return "ours: " + report.scale().describe() + "; paper: 800 epochs, width 1, the whole dataset";
    }

    /**
     * The chart with a caption line under it. XChart's title is one line, cut at the image's edges: the scales
     * compared (about 130 characters) go into the caption, so the title keeps only what is plotted.
     */
    private static Path save(Chart<?, ?> chart, String caption, Path file) {
        BufferedImage plot = BitmapEncoder.getBufferedImage(chart);
        BufferedImage image = new BufferedImage(plot.getWidth(), plot.getHeight() + CAPTION_HEIGHT,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.drawImage(plot, 0, 0, null);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int x = Math.max(8, (image.getWidth() - g.getFontMetrics().stringWidth(caption)) / 2);
        g.drawString(caption, x, plot.getHeight() + CAPTION_HEIGHT - 10);
        g.dispose();
        return write(image, file);
    }

    private static Path save(Chart<?, ?> chart, Path file) {
        return write(BitmapEncoder.getBufferedImage(chart), file);
    }

    private static Path write(BufferedImage image, Path file) {
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(image, "png", file.toFile())) {
                throw new IOException("no PNG writer");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
