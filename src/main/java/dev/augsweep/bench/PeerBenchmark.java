package dev.augsweep.bench;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs src/bench/python/peer.py (PyTorch + torchvision from Debian), one measurement per run, and reads the
 * seconds of its repetitions. Unavailable (PyTorch missing, not run from the checkout) means null, said once.
 */
final class PeerBenchmark {
    static final Path SCRIPT = Path.of("src/bench/python/peer.py");
    private final int threads;
    private final PrintStream out;
    private boolean unavailable;

    PeerBenchmark(int threads, PrintStream out) {
        this.threads = threads;
        this.out = out;
    }

    /** Seconds of each measured SimCLR step at this width, batch and layout, after {@code warmup} steps. */
    double[] trainSeconds(double width, int batch, boolean channelsLast, int warmup, int reps) {
        return trainSeconds(width, batch, channelsLast, false, warmup, reps);
    }

    /** The same, with the networks under {@code torch.autocast("cpu", torch.bfloat16)} when {@code bf16}. */
    double[] trainSeconds(double width, int batch, boolean channelsLast, boolean bf16, int warmup, int reps) {
        List<String> args = new ArrayList<>(List.of("--measure", "train", "--width", Double.toString(width),
                "--batch", Integer.toString(batch), "--warmup", Integer.toString(warmup), "--reps", Integer.toString(reps)));
        if (channelsLast) {
            args.add("--channels-last");
        }
        if (bf16) {
            args.add("--bf16");
        }
        return run(args);
    }

    /** Seconds of each repetition of {@code views} views through torchvision's (a)-(e) pipeline, one thread. */
    double[] augmentSeconds(int views, int reps) {
        return run(List.of("--measure", "augment", "--views", Integer.toString(views), "--reps", Integer.toString(reps)));
    }

    private double[] run(List<String> args) {
        if (unavailable) {
            return null;
        }
        if (!Files.isRegularFile(SCRIPT) || !Files.isExecutable(Path.of("/usr/bin/python3"))) {
            return unavailable(SCRIPT + " or /usr/bin/python3 missing; run from the checkout");
        }
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", SCRIPT.toString(), "--threads",
                Integer.toString(threads)));
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                return unavailable("PyTorch benchmark failed (install python3-torch python3-torchvision):\n" + text);
            }
            String json = text.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("{}");
            return ConfigFactory.parseString(json).getDoubleList("seconds").stream().mapToDouble(Double::doubleValue)
                    .toArray();
        } catch (IOException e) {
            return unavailable("cannot run " + SCRIPT + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private double[] unavailable(String why) {
        out.println("peer: " + why);
        unavailable = true;
        return null;
    }
}
