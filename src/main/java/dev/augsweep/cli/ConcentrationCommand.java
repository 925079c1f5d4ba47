package dev.augsweep.cli;

import com.typesafe.config.Config;
import dev.augsweep.concentration.Concentration;
import dev.augsweep.concentration.ConcentrationRecipe;
import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.config.KeyCheck;
import dev.augsweep.config.Overrides;
import dev.augsweep.config.TrialConfigs;
import dev.augsweep.job.SweepJob;
import dev.augsweep.job.SweepJobs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code augsweep concentration}: the paper's (sigma, delta)-measure of every augmentation setting of a job. */
@Command(name = "concentration", mixinStandardHelpOptions = true,
        description = {"Measure how each augmentation setting of a job concentrates each class (the paper's (sigma, "
                        + "delta)-measure).",
                "1 - sigma at a few deltas (the paper's Definition 1), as Spark tasks, into the concentration "
                        + "table of the job's results (the view concentration of augsweep sql). The recipe's keys are "
                        + "concentration.* in conf/defaults.conf; override them like trial keys.",
                "Example: augsweep concentration jobs/paper-pairs.conf concentration.views=16"})
final class ConcentrationCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "JOB.conf", description = "A sweep definition: its augmentation settings")
    Path job;

    @Parameters(index = "1..*", paramLabel = "key=value",
            description = "concentration.* recipe keys, and trial keys such as data=... applied to every setting")
    List<String> overrides = new ArrayList<>();

    @Mixin
    DriverOptions driver;

    @Override
    public Integer call() {
        List<String> recipeKeys = overrides.stream().filter(o -> o.startsWith("concentration.")).toList();
        List<String> trialKeys = overrides.stream().filter(o -> !o.startsWith("concentration.")).toList();
        SweepJob sweep = SweepJobs.load(job, trialKeys, driver.maxTrials);
        sweep.warnings().forEach(w -> System.err.println("warning: " + w));
        Config user = Overrides.parse(recipeKeys);
        Config jobFile = TrialConfigs.parseFile(job);
        if (jobFile.hasPath("concentration")) {
            user = user.withFallback(jobFile.withOnlyPath("concentration"));
        }
        Config defaults = TrialConfigs.defaults();
        List<String> problems = new ArrayList<>(KeyCheck.unknownKeys(user, defaults, job + " and the command line"));
        ConcentrationRecipe recipe = ConcentrationRecipe.parse(user.withFallback(defaults).resolve(), problems);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(job.toString(), problems);
        }
        Concentration.run(sweep, recipe, driver.options(sweep, false, new picocli.CommandLine(this)), System.out);
        return 0;
    }
}
