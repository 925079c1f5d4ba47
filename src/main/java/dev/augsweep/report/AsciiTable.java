package dev.augsweep.report;

import java.util.ArrayList;
import java.util.List;

/** Renders rows as an aligned text table: text columns to the left, numbers to the right. */
public final class AsciiTable {
    private AsciiTable() {
    }

    public static String render(List<String> header, List<List<String>> rows) {
        int n = header.size();
        int[] width = new int[n];
        boolean[] numeric = new boolean[n];
        for (int c = 0; c < n; c++) {
            width[c] = header.get(c).length();
            numeric[c] = !rows.isEmpty();
            for (List<String> row : rows) {
                String v = row.get(c);
                width[c] = Math.max(width[c], v.length());
                numeric[c] &= v.isEmpty() || v.matches("[-+]?[0-9.,±% ]+(\\(n=\\d+\\))?");
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, width, numeric);
        List<String> rule = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            rule.add("-".repeat(width[c]));
        }
        line(sb, rule, width, numeric);
        rows.forEach(r -> line(sb, r, width, numeric));
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] width, boolean[] numeric) {
        for (int c = 0; c < cells.size(); c++) {
            String v = cells.get(c);
            String pad = " ".repeat(width[c] - v.length());
            sb.append(c == 0 ? "" : "  ").append(numeric[c] ? pad + v : v + pad);
        }
        sb.append('\n');
    }
}
