package dev.augsweep.concentration;

import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.data.CifarFormatException;
import dev.augsweep.data.DataLocation;
import dev.augsweep.driver.SweepDriver;
import dev.augsweep.job.SweepJob;
import dev.augsweep.results.DeltaTables;
import dev.augsweep.results.ResultsLayout;
import dev.augsweep.storage.Storage;
import dev.augsweep.train.Checkpoint;
import java.io.PrintStream;
import java.util.List;

/** `augsweep concentration`: the measure for every augmentation setting of a job, in the job's results directory. */
public final class Concentration {
    private Concentration() {
    }

    /** Measures what the results lack for this recipe; returns the summary table it printed. */
    public static String run(SweepJob job, ConcentrationRecipe recipe, SweepDriver.Options options, PrintStream out) {
        List<Setting> settings = Setting.of(job.trials());
        Storage.configure(options.storage());
        ResultsLayout layout = new ResultsLayout(options.results());
        TrialConfig featureTrial = null;
        if (recipe.space().equals("features")) {
            featureTrial = job.trials().stream().filter(t -> t.id().equals(recipe.featuresOf())).findFirst()
                    .orElseThrow(() -> new InvalidConfigException(job.jobFile(), List.of("concentration.features-of = "
                            + recipe.featuresOf() + " is not a trial of " + job.jobFile() + "; its trials are e.g. "
                            + job.trials().get(0).id())));
            if (!Checkpoint.exists(layout.trialDir(featureTrial.id()))) {
                throw new InvalidConfigException(job.jobFile(), List.of("trial " + featureTrial.id() + " has no "
                        + "checkpoint under " + layout.trialsDir() + "; run its sweep first (augsweep run "
                        + job.jobFile() + ")"));
            }
        }
        // The data is there before any task starts: fetched now where download allows, or one clear error.
        settings.stream().map(Setting::trial).distinct().forEach(t -> {
            try {
                DataLocation.official(t.dataset()).resolve(t.runtime().data(), t.runtime().download());
            } catch (CifarFormatException e) {
                throw new InvalidConfigException(job.jobFile(), List.of(e.getMessage()));
            }
        });
        String key = recipe.key(settings.stream().map(Setting::id).toList());
        ConcentrationTask task = new ConcentrationTask(layout.root().resolve("concentration").resolve(key), recipe,
                featureTrial, featureTrial == null ? null : layout.trialDir(featureTrial.id()),
                options.storage());
        return SweepDriver.run(job.name(), job.jobFile(), options, (spark, l, guard) -> new ConcentrationWorkload(
                job.name(), settings, recipe, task, new DeltaTables(spark, l, guard), out), ConcentrationWorkload::summary);
    }
}
