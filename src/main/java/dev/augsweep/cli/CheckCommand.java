package dev.augsweep.cli;

import ai.djl.Device;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.config.TrialConfigs;
import dev.augsweep.device.Devices;
import dev.augsweep.device.GpuReadiness;
import dev.augsweep.model.CifarResNet18;
import dev.augsweep.model.MemoryLayout;
import dev.augsweep.numerics.LayoutCheck;
import dev.augsweep.numerics.OneDnnGuard;
import dev.augsweep.report.AsciiTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code augsweep check}: does libtorch on this machine compute the gradients augsweep trains with correctly? */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check that libtorch computes this machine's gradients correctly: exit 0 when they agree, 4 when "
                        + "some do not.",
                "One training step's loss and weight gradients in the memory layout augsweep trains in, against "
                        + "the same step in plain NCHW, per method and width. Run it on a new kind of CPU; "
                        + "ONEDNN_MAX_CPU_ISA=AVX2 checks the AVX2 kernels on an AVX-512 machine. With --device gpu it "
                        + "says whether this machine can train on a GPU (exit 5 if not)."})
final class CheckCommand implements Callable<Integer> {
    static final int DISAGREES = 4;

    @Option(names = "--widths", split = ",", defaultValue = "0.0625,0.125,0.1875,0.25,0.375,0.5,1",
            description = "ResNet widths (default ${DEFAULT-VALUE})")
    List<Double> widths;

    @Option(names = "--methods", split = ",", defaultValue = "simclr,moco,simsiam,barlowtwins",
            description = "Methods (default ${DEFAULT-VALUE})")
    List<String> methods;

    @Option(names = "--batch", defaultValue = "64", description = "Batch size (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--layout", defaultValue = "auto",
            description = "auto: the layout training picks per width; channels-last: that layout at every width "
                    + "(shows what the rule avoids)")
    String layout;

    @Option(names = "--threads", defaultValue = "0", description = "libtorch threads (default: all cores)")
    int threads;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu: the gradient check above; gpu: what DJL "
            + "loads (libtorch's directory and flavour, CUDA runtime, cuDNN, the GPUs it sees) and one product on "
            + "gpu(0); exit " + NO_GPU + " with the fix when no GPU can train")
    String device;

    static final int NO_GPU = 5;

    @Option(names = "--unguarded", description = "Check oneDNN as this CPU runs it unguarded (at ONEDNN_MAX_CPU_ISA "
            + "or the CPU's best), without the instruction set augsweep's CPU kernel guard picks (docs/performance.md: CPU kernels)")
    boolean unguarded;

    @Override
    public Integer call() {
        if (device.equals("gpu")) {
            GpuReadiness r = GpuReadiness.probe();
            r.lines().forEach(System.out::println);
            if (r.problem() != null) {
                System.out.println("NO GPU TRAINING: " + r.problem());
                return NO_GPU;
            }
            System.out.println("GPU training can run here");
            return 0;
        }
        if (!device.equals("cpu")) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--device is cpu or gpu, got '" + device + "'");
        }
        Devices.configureThreads(threads);
        String kernels = unguarded ? "unguarded oneDNN" : OneDnnGuard.apply(System.out).describe();
        List<List<String>> rows = new ArrayList<>();
        boolean allAgree = true;
        for (double width : widths) {
            for (String method : methods) {
                TrialConfig trial = TrialConfigs.load(null, List.of("method=" + method, "width=" + width,
                        "batch-size=" + batch, "moco.queue-size=" + (4096 / batch * batch), "layout=" + layout));
                MemoryLayout chosen = MemoryLayout.resolve(layout, width);
                System.out.printf(Locale.ROOT, "checking %s at width %s in %s ...%n", method, width, chosen.key());
                LayoutCheck.Agreement a = LayoutCheck.compare(trial, chosen, Device.cpu());
                allAgree &= a.agrees();
                rows.add(List.of(method, Double.toString(width), Arrays.stream(CifarResNet18.stridedShortcutInputs(width))
                        .mapToObj(Integer::toString).collect(Collectors.joining("/")), chosen.key(),
                        String.format(Locale.ROOT, "%.2e", a.worstError()), a.worstParameter(),
                        a.agrees() ? "agrees" : "DISAGREES"));
            }
        }
        String isa = System.getenv().getOrDefault(OneDnnGuard.ISA_ENV, "this CPU's best");
        System.out.printf(Locale.ROOT, "%nGradients vs NCHW, batch %d, %d libtorch threads, oneDNN ISA: %s, "
                + "CPU convolutions: %s (agreement: relative L2 difference <= %.0e)%n", batch, Devices.threads(), isa,
                kernels, LayoutCheck.TOLERANCE);
        System.out.print(AsciiTable.render(List.of("method", "width", "stride-2 1x1 inputs", "layout",
                "rel. difference", "worst at", "verdict"), rows));
        return allAgree ? 0 : DISAGREES;
    }
}
