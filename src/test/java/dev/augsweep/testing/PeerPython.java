package dev.augsweep.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a script of the paper's own stack with Debian's Python (its python3-torch and python3-torchvision; the
 * python3 on PATH may be another build that cannot see them). A missing stack fails the test, saying what to
 * install: ./test (the README's test command) installs it.
 */
public final class PeerPython {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private PeerPython() {
    }

    public static String run(Path script, String... args) throws Exception {
        if (!Files.isExecutable(PYTHON)) {
            throw new IllegalStateException(PYTHON + " is missing: run the tests with ./test, which installs what "
                    + "they need, or apt-get install python3-torch python3-torchvision");
        }
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        // Asking for the environment makes the child get the JVM's start-up copy instead of the C environment, where
        // the kernel guard may have limited oneDNN (OneDnnGuard): PyTorch 1.13 is another oneDNN, with no bf16
        // convolution at SSE4.1, and picks its own kernels (its fp32 and bf16 steps are deterministic on the EPYC
        // whose libtorch 2.7.1 kernels the guard limits).
        pb.environment();
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(script + " failed (needs Debian's python3-torch and "
                    + "python3-torchvision: run the tests with ./test, which installs them, or apt-get install "
                    + "python3-torch python3-torchvision):\n" + out);
        }
        return out;
    }
}
