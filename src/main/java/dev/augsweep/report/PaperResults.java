package dev.augsweep.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The published kNN accuracies (paper-results.csv, packaged from shared/reference), per release. */
public final class PaperResults {
    /** One published cell: mean and population std over three seeds, in percent. */
    public record Cell(int release, String table, String augs, double strength, String method, double mean,
                       double std) {
    }

    private final List<Cell> cells;

    private PaperResults(List<Cell> cells) {
        this.cells = cells;
    }

    public static PaperResults load() {
        List<Cell> cells = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                PaperResults.class.getResourceAsStream("/paper-results.csv"), StandardCharsets.UTF_8))) {
            String line;
            boolean header = true;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (header) {
                    header = false;
                    continue;
                }
                String[] f = line.split(",");
                cells.add(new Cell(Integer.parseInt(f[0]), f[1], f[2], Double.parseDouble(f[3]), f[4],
                        Double.parseDouble(f[5]), Double.parseDouble(f[6])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PaperResults(List.copyOf(cells));
    }

    public List<Cell> cells(int release) {
        return cells.stream().filter(c -> c.release() == release).toList();
    }

    public Optional<Cell> find(int release, String augs, double strength, String method) {
        return cells.stream().filter(c -> c.release() == release && c.augs().equals(augs) && c.method().equals(method)
                && (!augs.equals("color") || Math.abs(c.strength() - strength) < 1e-9)).findFirst();
    }
}
