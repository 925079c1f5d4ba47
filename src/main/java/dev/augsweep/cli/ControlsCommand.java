package dev.augsweep.cli;

import dev.augsweep.storage.StorePath;
import dev.augsweep.sweep.ControlBackfill;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code augsweep controls}: untrained controls and cell ids for results recorded before they were measured. */
@Command(name = "controls", mixinStandardHelpOptions = true,
        description = {"Complete the results of an older augsweep with each trial's cell id and untrained control.",
                "The control is the same network before training, scored by the same kNN: each trial is found "
                        + "again from its job file and computed with forward passes only, and epoch-0 rows are added. "
                        + "Works on a sweep's Delta tables and on a CSV snapshot; new sweeps record both themselves.",
                "Example: augsweep controls --results docs/results/cpu-paper threads=2"})
final class ControlsCommand implements Callable<Integer> {
    @Mixin
    ResultsOption results;

    @Parameters(paramLabel = "key=value", description = "Where the controls run (threads, device, data); the "
            + "trials' own settings come from their job files")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() {
        StorePath dir = results.resolve("controls");
        ControlBackfill.Summary s = new ControlBackfill(System.out).run(dir, overrides, results.settings());
        System.out.printf("[controls] %d trial(s) completed%n", s.completed());
        if (!s.notFound().isEmpty()) {
            throw ControlBackfill.notFound(dir, s.notFound());
        }
        return 0;
    }
}
