package dev.augsweep.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where a scatter plot's point labels go so that none covers another label or any point's marker: each label is
 * tried beside its point (right, left, above, below), then further out step by step, and the first place free of
 * every marker and every label already placed wins. Works in pixels of the plot area, from data coordinates and the
 * axes' ranges; labels are placed in order of x so that the result does not depend on the order points come in.
 */
final class LabelPlacer {
    /** A point to label, in data coordinates. */
    record Point(String label, double x, double y) {
    }

    /** Where a label's centre goes, in data coordinates, and its box in pixels (for checks). */
    record Placed(String label, double x, double y, Box box) {
    }

    /** A rectangle in pixels, y down. */
    record Box(double left, double top, double right, double bottom) {
        boolean overlaps(Box o) {
            return left < o.right && o.left < right && top < o.bottom && o.top < bottom;
        }
    }

    private final double xMin;
    private final double xMax;
    private final double yMin;
    private final double yMax;
    private final double width;
    private final double height;
    private final double charWidth;
    private final double lineHeight;
    private final double marker;

    /**
     * @param width,height the plot area in pixels
     * @param charWidth    a label character's width in pixels (labels are short, monospace enough)
     * @param lineHeight   a label's height in pixels
     * @param marker       a marker's size in pixels
     */
    LabelPlacer(double xMin, double xMax, double yMin, double yMax, double width, double height, double charWidth,
                double lineHeight, double marker) {
        this.xMin = xMin;
        this.xMax = xMax;
        this.yMin = yMin;
        this.yMax = yMax;
        this.width = width;
        this.height = height;
        this.charWidth = charWidth;
        this.lineHeight = lineHeight;
        this.marker = marker;
    }

    List<Placed> place(List<Point> points) {
        List<Box> taken = new ArrayList<>();
        for (Point p : points) {
            double px = px(p.x());
            double py = py(p.y());
            taken.add(new Box(px - marker / 2, py - marker / 2, px + marker / 2, py + marker / 2));
        }
        List<Point> ordered = points.stream().sorted(Comparator.comparingDouble(Point::x)
                .thenComparingDouble(Point::y).thenComparing(Point::label)).toList();
        List<Placed> placed = new ArrayList<>();
        for (Point p : ordered) {
            Placed at = place(p, taken);
            taken.add(at.box());
            placed.add(at);
        }
        return placed;
    }

    private Placed place(Point p, List<Box> taken) {
        double w = p.label().length() * charWidth;
        double h = lineHeight;
        double px = px(p.x());
        double py = py(p.y());
        double gap = marker / 2 + 2;
        Box fallback = null;
        for (int ring = 0; ring < 12; ring++) {
            double out = ring * h;
            double[][] centres = {
                {px + gap + w / 2 + out, py}, {px - gap - w / 2 - out, py},
                {px, py - gap - h / 2 - out}, {px, py + gap + h / 2 + out},
                {px + gap + w / 2, py - out - h}, {px + gap + w / 2, py + out + h},
                {px - gap - w / 2, py - out - h}, {px - gap - w / 2, py + out + h}};
            for (double[] c : centres) {
                Box b = new Box(c[0] - w / 2, c[1] - h / 2, c[0] + w / 2, c[1] + h / 2);
                if (b.left() < 0 || b.right() > width || b.top() < 0 || b.bottom() > height) {
                    continue;
                }
                if (fallback == null) {
                    fallback = b;
                }
                if (taken.stream().noneMatch(b::overlaps)) {
                    return placed(p, b);
                }
            }
        }
        // A plot too crowded for every label: the nearest place inside the plot, overlapping.
        return placed(p, fallback != null ? fallback : new Box(px, py - h / 2, px + w, py + h / 2));
    }

    private Placed placed(Point p, Box b) {
        double cx = (b.left() + b.right()) / 2;
        double cy = (b.top() + b.bottom()) / 2;
        return new Placed(p.label(), xMin + cx / width * (xMax - xMin), yMax - cy / height * (yMax - yMin), b);
    }

    private double px(double x) {
        return (x - xMin) / (xMax - xMin) * width;
    }

    private double py(double y) {
        return (yMax - y) / (yMax - yMin) * height;
    }
}
