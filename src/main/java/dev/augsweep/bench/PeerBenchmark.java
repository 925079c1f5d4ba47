package dev.augsweep.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs src/bench/python/peer.py (PyTorch + torchvision from Debian) and reads its JSON line. */
final class PeerBenchmark {
    static final Path SCRIPT = Path.of("src/bench/python/peer.py");

    private PeerBenchmark() {
    }

    /** The peer's figures, or null (with the reason printed) when PyTorch is not installed. */
    static Config run(int threads, int batch, int reps, java.io.PrintStream out) {
        if (!Files.isRegularFile(SCRIPT) || !Files.isExecutable(Path.of("/usr/bin/python3"))) {
            out.println("peer: " + SCRIPT + " or /usr/bin/python3 missing; run from the checkout");
            return null;
        }
        try {
            Process p = new ProcessBuilder(List.of("/usr/bin/python3", SCRIPT.toString(), "--threads",
                    Integer.toString(threads), "--batch", Integer.toString(batch), "--reps", Integer.toString(reps)))
                    .redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                out.println("peer: PyTorch benchmark failed (install python3-torch python3-torchvision):\n" + text);
                return null;
            }
            String json = text.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("{}");
            return ConfigFactory.parseString(json);
        } catch (IOException e) {
            out.println("peer: cannot run " + SCRIPT + ": " + e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
