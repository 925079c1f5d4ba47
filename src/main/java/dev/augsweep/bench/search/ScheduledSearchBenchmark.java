package dev.augsweep.bench.search;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * TPE with and without ASHA, ours through the driver ({@link DriverSearchBenchmark}) and Optuna's with and without its
 * successive-halving pruner ({@link OptunaSearchPeer#runPruned}), each seed's trials simulated training runs of the
 * same objective ({@link ObjectiveCurve}) whose curves keep one shape, or cross; and our TPE on the benchmark's direct
 * path for the same seeds, which the driver's should match. Without a schedule only the last epoch counts, so one
 * unscheduled search per seed serves both kinds of curve.
 *
 * @param direct          our TPE outside the driver ({@link SearchBenchmark}): regret per trial
 * @param full            ours through the driver, every point trained to the end
 * @param ashaSameShape   ours through the driver under ASHA (rungs 3 and 9 of 27, reduction 3), curves of one shape
 * @param ashaCrossing    the same, curves that cross
 * @param optunaFull      Optuna's TPE, every trial trained to the end
 * @param halvingSameShape Optuna's TPE under its SuccessiveHalvingPruner with the same rungs, curves of one shape
 * @param halvingCrossing the same, curves that cross
 */
public record ScheduledSearchBenchmark(List<double[]> direct, List<DriverSearchBenchmark.Run> full,
                                       List<DriverSearchBenchmark.Run> ashaSameShape,
                                       List<DriverSearchBenchmark.Run> ashaCrossing,
                                       List<OptunaSearchPeer.Pruned> optunaFull,
                                       List<OptunaSearchPeer.Pruned> halvingSameShape,
                                       List<OptunaSearchPeer.Pruned> halvingCrossing) {
    public static ScheduledSearchBenchmark run(Objective f, int seeds, int samples, int slots, PrintStream out) {
        List<double[]> direct = new ArrayList<>();
        List<DriverSearchBenchmark.Run> full = new ArrayList<>();
        List<DriverSearchBenchmark.Run> same = new ArrayList<>();
        List<DriverSearchBenchmark.Run> crossing = new ArrayList<>();
        try {
            Path dir = Files.createTempDirectory("augsweep-search-bench");
            for (int seed = 0; seed < seeds; seed++) {
                direct.add(SearchBenchmark.run(f, "tpe", seed, samples, slots));
                full.add(DriverSearchBenchmark.run(f, false, "tpe", false, seed, samples, slots,
                        dir.resolve(seed + "-full")));
                same.add(DriverSearchBenchmark.run(f, false, "tpe", true, seed, samples, slots,
                        dir.resolve(seed + "-asha")));
                crossing.add(DriverSearchBenchmark.run(f, true, "tpe", true, seed, samples, slots,
                        dir.resolve(seed + "-asha-crossing")));
                out.printf(Locale.ROOT, "  seed %d: unscheduled %.1f s; ASHA %.1f s (%d epochs), on crossing curves "
                        + "%.1f s (%d epochs)%n", seed, full.get(seed).seconds(), same.get(seed).seconds(),
                        same.get(seed).epochs(), crossing.get(seed).seconds(), crossing.get(seed).epochs());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int epochs = DriverSearchBenchmark.EPOCHS;
        return new ScheduledSearchBenchmark(direct, full, same, crossing,
                OptunaSearchPeer.runPruned(f.name(), false, 0, seeds, samples, slots, epochs, false),
                OptunaSearchPeer.runPruned(f.name(), false, 0, seeds, samples, slots, epochs, true),
                OptunaSearchPeer.runPruned(f.name(), true, 0, seeds, samples, slots, epochs, true));
    }

    /** Each seed's regret without a schedule after as many epochs as its scheduled search spent (whole trials). */
    public static double[] atSameEpochs(List<double[]> fullRegret, List<Long> scheduledEpochs) {
        double[] r = new double[fullRegret.size()];
        for (int i = 0; i < r.length; i++) {
            int trials = (int) Math.min(fullRegret.get(i).length, scheduledEpochs.get(i) / DriverSearchBenchmark.EPOCHS);
            r[i] = trials == 0 ? Double.POSITIVE_INFINITY : fullRegret.get(i)[trials - 1];
        }
        return r;
    }
}
