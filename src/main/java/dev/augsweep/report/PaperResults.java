package dev.augsweep.report;

import dev.augsweep.data.Dataset;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The published kNN accuracies, per dataset and code release: paper-results.csv (CIFAR-10, 2021 and 2022 releases)
 * and paper-results-cifar100.csv (CIFAR-100, the final version's, trained with the 2022 release), packaged from
 * shared/reference.
 */
public final class PaperResults {
    /** One published cell: mean and population std over three seeds, in percent. */
    public record Cell(Dataset dataset, int release, String table, String augs, double strength, String method,
                       double mean, double std) {
    }

    private final List<Cell> cells;

    private PaperResults(List<Cell> cells) {
        this.cells = cells;
    }

    public static PaperResults load() {
        List<Cell> cells = new ArrayList<>();
        read("/paper-results.csv", Dataset.CIFAR10, cells);
        read("/paper-results-cifar100.csv", Dataset.CIFAR100, cells);
        return new PaperResults(List.copyOf(cells));
    }

    private static void read(String resource, Dataset dataset, List<Cell> cells) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                PaperResults.class.getResourceAsStream(resource), StandardCharsets.UTF_8))) {
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
                cells.add(new Cell(dataset, Integer.parseInt(f[0]), f[1], f[2], Double.parseDouble(f[3]), f[4],
                        Double.parseDouble(f[5]), Double.parseDouble(f[6])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Cell> all() {
        return cells;
    }

    public List<Cell> cells(Dataset dataset, int release) {
        return cells.stream().filter(c -> c.dataset() == dataset && c.release() == release).toList();
    }

    public Optional<Cell> find(Dataset dataset, int release, String augs, double strength, String method) {
        return cells.stream().filter(c -> c.dataset() == dataset && c.release() == release && c.augs().equals(augs)
                && c.method().equals(method) && (!augs.equals("color") || Math.abs(c.strength() - strength) < 1e-9))
                .findFirst();
    }
}
