package dev.augsweep.cli;

import com.typesafe.config.Config;
import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.config.TrialConfigs;
import dev.augsweep.data.CifarData;
import dev.augsweep.data.CifarSource;
import dev.augsweep.storage.StorePath;
import dev.augsweep.train.ConsoleProgress;
import dev.augsweep.train.TrialDirectory;
import dev.augsweep.train.TrialResult;
import dev.augsweep.train.TrialTrainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code augsweep train}: one trial, in this JVM, on the GPU when DJL sees one. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train and kNN-evaluate one trial.",
                "Settings: conf/defaults.conf (the paper's protocol), then --config, then key=value overrides.",
                "Example: augsweep train method=simclr augs=abcde width=0.25 train-limit=5000 test-limit=2000 "
                        + "epochs=10 batch-size=256"})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "HOCON file with trial settings")
    Path config;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output directory: checkpoint after every epoch, result.json at the end; "
                    + "running again with the same DIR resumes (a path or a URI such as hdfs://namenode:8020/x)")
    String out;

    @Option(names = "--overwrite", description = "Replace another trial's run found in --out (by default refused)")
    boolean overwrite;

    @Parameters(paramLabel = "key=value", description = "Overrides, e.g. method=moco augs=abc epochs=10 "
            + "(keys: method, augs, strength, seed, epochs, batch-size, width, train-limit, test-limit, data, "
            + "device, eval-every, lr, ... see conf/defaults.conf)")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() {
        TrialConfig trial = TrialConfigs.load(config, overrides);
        System.out.printf(Locale.ROOT, "trial %s: %s augs=%s strength=%s seed=%d, %d epochs, batch %d, width %s, lr %s%n",
                trial.id(), trial.method(), trial.augs(), dev.augsweep.config.Fractions.format(trial.strength()), trial.seed(),
                trial.epochs(), trial.batchSize(), trial.width(), trial.lr());
        StorePath outDir = out == null ? null : StorePath.of(out);
        if (outDir != null) {
            TrialDirectory there = TrialDirectory.of(outDir);
            if (there.heldByAnother(trial.id()) && !overwrite) {
                throw new InvalidConfigException("--out " + out, List.of(out + " holds the run of trial " + there.owner()
                        + " (" + there.describe() + "), not of trial " + trial.id() + "; choose another --out, or "
                        + "add --overwrite to replace it"));
            }
            if (there.heldByAnother(trial.id())) {
                System.out.println("replacing the run of trial " + there.owner() + " in " + out + " (--overwrite)");
                TrialDirectory.clear(outDir);
            } else if (there.finished(trial.id(), trial.epochs())) {
                Config r = there.result();
                System.out.printf(Locale.ROOT, "trial %s is done already (%d epochs): knn top-1 best %.2f%% (epoch %d), "
                        + "final %.2f%%; result: %s%n", trial.id(), there.epochsDone(), r.getDouble("knn_top1_best"),
                        r.getInt("best_epoch"), r.getDouble("knn_top1_final"),
                        outDir.resolve(TrialTrainer.RESULT_FILE));
                return 0;
            }
        }
        CifarData data = CifarSource.load(trial.runtime().data(), trial.dataset(), trial.runtime().download());
        TrialResult result = new TrialTrainer(new ConsoleProgress(System.out, "")).train(trial, data, outDir);
        System.out.printf(Locale.ROOT, "done: knn top-1 best %.2f%% (epoch %d), final %.2f%%, loss %.4f -> %.4f, "
                        + "%.1f img/s, %s on %s%n", 100 * result.knnTop1Best(), result.bestEpoch(),
                100 * result.knnTop1Final(), result.epochs().get(0).loss(),
                result.epochs().get(result.epochs().size() - 1).loss(), result.imagesPerSecond(),
                ConsoleProgress.duration(result.seconds()), result.device());
        if (outDir != null) {
            System.out.println("result: " + outDir.resolve(TrialTrainer.RESULT_FILE));
        }
        return 0;
    }
}
