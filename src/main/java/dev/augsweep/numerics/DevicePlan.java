package dev.augsweep.numerics;

import ai.djl.Device;
import dev.augsweep.config.Precision;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.device.Devices;
import dev.augsweep.model.MemoryLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * How a trial's device computes, decided once before it trains, so that the training loop reads one plan and makes
 * no decision of its own: the device and libtorch's threads, the kernels in force (the CPU kernel guard's verdict
 * for this shape, or CUDA), the memory layout and why, the mixed precision, the threads that make views, whether
 * views go up as 8 bits, and how often the loss is read back.
 *
 * @param kernels        what the convolutions run on, as each epoch records it ({@code cuda} on a GPU)
 * @param autocast       the networks' mixed precision, or null for fp32
 * @param augmentThreads the threads that make views
 * @param lossReadEvery  read the loss back every this many steps (1: every step)
 * @param quantisedViews views uploaded as 8 bits and normalised on the device
 * @param notes          what the trial's progress should say about the plan before it trains (a CPU fallback, a GPU's
 *                       layout comparison)
 */
public record DevicePlan(Devices.Placement placement, int threads, String kernels, GpuLayout.Decision layout,
                         Precision precision, Autocast autocast, int augmentThreads, int lossReadEvery,
                         boolean quantisedViews, List<String> notes) {
    /** What a resumed trial keeps from the run it continues: libtorch's reductions depend on both. */
    public record Resumed(int threads, MemoryLayout layout) {
    }

    /**
     * Decides the plan for {@code trial} on this process's device and sets it up here (libtorch's thread pool,
     * oneDNN's kernels, gradient recording on this thread): call it on the thread that trains.
     *
     * @param resumed what the trial started with, or null for a fresh trial
     */
    public static DevicePlan forTrial(TrialConfig trial, Resumed resumed) {
        Devices.configureThreads(resumed != null ? resumed.threads() : trial.runtime().threads());
        int threads = Devices.threads();
        Devices.Placement placement = Devices.select(trial.runtime().device());
        Device device = placement.device();
        List<String> notes = new ArrayList<>();
        if (placement.cpuFallback()) {
            notes.add("WARNING: " + placement.why());
        }
        MemoryLayout requested = resumed != null && trial.runtime().layout().equals("auto") ? resumed.layout()
                : MemoryLayout.resolve(trial.runtime().layout(), trial.width());
        String kernels = device.equals(Device.cpu()) ? OneDnnGuard.apply(System.out,
                new OneDnnGuard.Shape(trial.width(), requested, trial.batchSize())).kernels() : "cuda";
        ThreadGradients.offOnThisThread();
        GpuLayout.Decision layout = layout(trial, requested, resumed != null, device, notes);
        Autocast autocast = Autocast.forTrial(trial.precision(), device, trial.runtime().precisionEmulation());
        int cores = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        return new DevicePlan(placement, threads, kernels, layout, trial.precision(), autocast,
                AugmentThreads.of(trial.runtime().augmentThreads(), device.isGpu(), cores),
                LossReads.every(trial.runtime().lossReadEvery(), device.isGpu()),
                ViewUpload.quantised(trial.runtime().viewUpload(), device.isGpu()), List.copyOf(notes));
    }

    /**
     * The layout the trial computes in, and why: {@code requested} (the one it started with when it resumes, unless
     * a layout is asked for, as a retry after a native crash does; else the network's safe layout). On the CPU the
     * kernel guard has just compared this very shape with libtorch's own kernels; on a GPU an automatic
     * channels-last is compared with NCHW first ({@link GpuLayout}).
     */
    private static GpuLayout.Decision layout(TrialConfig trial, MemoryLayout requested, boolean resumed,
                                             Device device, List<String> notes) {
        if (resumed) {
            return new GpuLayout.Decision(requested, requested.key() + ": the layout the trial started in");
        }
        if (!trial.runtime().layout().equals("auto") || requested == MemoryLayout.NCHW) {
            return new GpuLayout.Decision(requested, requested.key() + ": " + (trial.runtime().layout().equals("auto")
                    ? "this width's safe layout" : "asked for"));
        }
        if (device.equals(Device.cpu())) {
            return new GpuLayout.Decision(requested, requested.key() + ": checked by the CPU kernel guard");
        }
        GpuLayout.Decision measured = GpuLayout.cached(trial, requested, device);
        notes.add("memory layout " + measured.why());
        return measured;
    }

    public Device device() {
        return placement.device();
    }

    public MemoryLayout memoryLayout() {
        return layout.layout();
    }

    /** What the trial's results record of its arithmetic. */
    public Numerics numerics() {
        return new Numerics(device().toString(), threads, layout.layout(), layout.why(),
                ViewUpload.key(quantisedViews));
    }

    /** The plan in a line, as a trial's progress starts with it (why this device: {@link #deviceNote()}). */
    public String describe() {
        return placement.device() + " (" + kernels + "), " + threads + " thread" + (threads == 1 ? "" : "s") + ", "
                + augmentThreads + " making views, " + layout.layout().key() + " layout, " + precision.key()
                + (quantisedViews ? ", uint8 views" : "")
                + (lossReadEvery == 1 ? "" : ", loss read every " + lossReadEvery + " steps");
    }

    /** Where trials train and why: the same for every trial on this device, said once per sweep. */
    public String deviceNote() {
        return "device: " + placement;
    }
}
