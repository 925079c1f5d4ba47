package dev.augsweep.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What made the plots hard to read (issue 45): labels over each other, paper markers hiding each other, names. */
class PlotLayoutTest {
    /**
     * The combinations' concentration plot: 16 settings for each of two methods, several settings concentrating
     * alike (the same x) and scoring alike (near y). No label covers another label or any marker.
     */
    @Test
    void labelsCoverNoOtherLabelAndNoMarker() {
        Random r = new Random(5);
        List<LabelPlacer.Point> points = new ArrayList<>();
        String[] rows = {"a", "b", "c", "d", "e", "ab", "ac", "ad", "ae", "bc", "abc", "abd", "abcd", "abcde", "bcd",
            "cde"};
        for (int m = 0; m < 2; m++) {
            for (int i = 0; i < rows.length; i++) {
                double x = 0.30 + 0.02 * (i % 5);
                points.add(new LabelPlacer.Point(rows[i], x, 60 + 0.5 * i + m * 1.5 + r.nextDouble()));
            }
        }
        double[] xs = Plots.padded(points.stream().mapToDouble(LabelPlacer.Point::x).toArray(), 0.12);
        double[] ys = Plots.padded(points.stream().mapToDouble(LabelPlacer.Point::y).toArray(), 0.12);
        LabelPlacer placer = new LabelPlacer(xs[0], xs[1], ys[0], ys[1], 990, 450, 7.5, 16, 10);
        List<LabelPlacer.Placed> placed = placer.place(points);
        assertThat(placed).hasSize(points.size());
        for (int i = 0; i < placed.size(); i++) {
            LabelPlacer.Box b = placed.get(i).box();
            assertThat(b.left()).isGreaterThanOrEqualTo(0);
            assertThat(b.right()).isLessThanOrEqualTo(990);
            for (int j = i + 1; j < placed.size(); j++) {
                assertThat(b.overlaps(placed.get(j).box())).as("%s and %s", placed.get(i).label(),
                        placed.get(j).label()).isFalse();
            }
            for (LabelPlacer.Point p : points) {
                double px = (p.x() - xs[0]) / (xs[1] - xs[0]) * 990;
                double py = (ys[1] - p.y()) / (ys[1] - ys[0]) * 450;
                assertThat(b.overlaps(new LabelPlacer.Box(px - 5, py - 5, px + 5, py + 5)))
                        .as("label %s over the marker of %s", placed.get(i).label(), p.label()).isFalse();
            }
        }
        // The same places whatever order the points come in.
        List<LabelPlacer.Point> reversed = new ArrayList<>(points);
        java.util.Collections.reverse(reversed);
        assertThat(placer.place(reversed)).containsExactlyInAnyOrderElementsOf(placed);
    }

    @Test
    void eachMethodsPaperValuesHaveAMarkerOfTheirOwn() {
        assertThat(PaperTable.METHOD_ORDER.stream().map(Plots::paperMarker).distinct()).hasSize(
                PaperTable.METHOD_ORDER.size());
    }

    @Test
    void extremePointsSitInsideTheFrame() {
        double[] r = Plots.padded(new double[] {0.1, 0.5, 1.0}, 0.05);
        assertThat(r[0]).isLessThan(0.1);
        assertThat(r[1]).isGreaterThan(1.0);
        assertThat(Plots.padded(new double[] {3, 3}, 0.05)).containsExactly(2, 4);
    }

    @Test
    void aSearchPlotsNameSaysSearchOnce() {
        assertThat(Plots.searchFile("search-tiny", "lr")).isEqualTo("search-tiny-lr.png");
        assertThat(Plots.searchFile("pilot", "knn.k")).isEqualTo("search-pilot-knn.k.png");
        assertThat(Plots.searchFile("a b/c", "lr")).isEqualTo("search-a_b_c-lr.png");
    }
}
