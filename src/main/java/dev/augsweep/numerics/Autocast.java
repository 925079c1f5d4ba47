package dev.augsweep.numerics;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.util.cuda.CudaUtils;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.config.Precision;
import dev.augsweep.device.CpuFacts;
import dev.augsweep.device.LoadedLibTorch;
import dev.augsweep.method.PrecisionScope;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * libtorch's automatic mixed precision, which DJL does not expose (its {@code toType} to bf16 aborts the JVM and does
 * not pass gradients). This class owns the native calls: libtorch's own autocast switches, called through JNA on the
 * {@code libtorch_cpu.so} this JVM loaded. Autocast is per thread, as in PyTorch: a training step turns it on for the
 * networks' forward passes only ({@link #forward}), so convolutions and linear layers run in 16 bits while batch
 * norm keeps fp32 statistics, each network's output comes back in fp32, and the losses, the kNN features and the
 * optimiser never see 16-bit tensors. The weights stay fp32 (autocast casts a copy, cached for the step and cleared
 * after it, since the weights change in place).
 */
public final class Autocast implements PrecisionScope.Region {
    // c10::DeviceType, c10::ScalarType and bool are one byte each in the C++ signatures: passed as Java bytes (an
    // int or a Boolean arrives as something libtorch does not read as true).
    private static final byte CPU = 0; // c10::DeviceType
    private static final byte CUDA = 1;
    private static final byte HALF = 5; // c10::ScalarType
    private static final byte BFLOAT16 = 15;
    /** libtorch 2.7.1's C++ symbols (Itanium ABI) of at::autocast's switches. */
    static final String SET_ENABLED = "_ZN2at8autocast20set_autocast_enabledEN3c1010DeviceTypeEb";
    static final String SET_DTYPE = "_ZN2at8autocast18set_autocast_dtypeEN3c1010DeviceTypeENS1_10ScalarTypeE";
    static final String CLEAR_CACHE = "_ZN2at8autocast11clear_cacheEv";
    private static volatile Natives natives;

    private final Precision precision;
    private final byte deviceType;

    private record Natives(Function setEnabled, Function setDtype, Function clearCache) {
    }

    private Autocast(Precision precision, byte deviceType) {
        this.precision = precision;
        this.deviceType = deviceType;
    }

    /**
     * The autocast a trial trains under on {@code device}, or null for fp32. Refuses, before any training, a
     * precision the hardware lacks (unless {@code emulation}) and a libtorch without autocast's symbols.
     */
    public static Autocast forTrial(Precision precision, Device device, boolean emulation) {
        if (precision == Precision.FP32) {
            return null;
        }
        boolean gpu = device.isGpu();
        List<String> problems = new ArrayList<>();
        if (precision == Precision.FP16 && !gpu) {
            problems.add("precision = fp16 trains on GPUs only (libtorch has no fast fp16 training kernels for CPUs, "
                    + "and fp16 needs loss scaling that bf16 does not); use precision = bf16 on a CPU with "
                    + "AVX512_BF16 or AMX, or fp32");
        } else if (precision == Precision.BF16 && !gpu && !emulation && !cpuHasBf16Kernels()) {
            problems.add("precision = bf16 needs a CPU with AVX512_BF16 or AMX whose bf16 kernels compute correctly ("
                    + (CpuFacts.hasBf16() ? "this CPU has them, but oneDNN's kernels for them miscompute here, so "
                    + "the kernel guard limited it to " + OneDnnGuard.apply(System.out).isa() + ", docs/performance.md: CPU kernels"
                    : "avx512_bf16 or amx_bf16 in /proc/cpuinfo; this CPU has neither")
                    + "; libtorch would emulate bf16 at a fraction of fp32's speed); use precision = fp32, run on "
                    + "such a CPU or an Ampere or newer GPU, or set precision-emulation = true to take the slow path "
                    + "anyway");
        } else if (precision == Precision.BF16 && gpu && !emulation) {
            String capability = CudaUtils.getComputeCapability(device.getDeviceId());
            if (capability.compareTo("80") < 0) {
                problems.add("precision = bf16 needs a GPU of compute capability 8.0 or more (Ampere); GPU "
                        + device.getDeviceId() + " has " + capability + "; use precision = fp16 there");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException("precision", problems);
        }
        Autocast a = new Autocast(precision, gpu ? CUDA : CPU);
        a.natives().setDtype().invokeVoid(new Object[] {a.deviceType, precision == Precision.BF16 ? BFLOAT16 : HALF});
        return a;
    }

    /** The CPU has bf16 instructions and the kernel guard left oneDNN's kernels for them on. */
    public static boolean cpuHasBf16Kernels() {
        return CpuFacts.hasBf16() && OneDnnGuard.apply(System.out).keepsBf16Kernels();
    }

    public Precision precision() {
        return precision;
    }

    /** A training step: forward passes in it run under autocast; the weight cache is cleared when it closes. */
    public Step step() {
        PrecisionScope.enter(this);
        return () -> {
            PrecisionScope.exit();
            natives().clearCache().invokeVoid(new Object[0]);
        };
    }

    /** A step's scope; closing it cannot fail. */
    public interface Step extends AutoCloseable {
        @Override
        void close();
    }

    /** One network's forward pass under autocast (this thread is in a {@link #step()}), its output in fp32. */
    @Override
    public NDArray forward(Supplier<NDArray> pass) {
        enable(true);
        NDArray out;
        try {
            out = pass.get();
        } finally {
            enable(false);
        }
        // A 16-bit tensor cannot go through DJL's toType (it aborts on bf16 and blocks gradients); multiplying by a
        // one-element fp32 tensor promotes it to fp32 inside autograd.
        try (NDArray one = out.getManager().create(new float[] {1f})) {
            return out.mul(one);
        }
    }

    private void enable(boolean on) {
        natives().setEnabled().invokeVoid(new Object[] {deviceType, on ? (byte) 1 : (byte) 0});
    }

    private Natives natives() {
        Natives n = natives;
        if (n == null) {
            synchronized (Autocast.class) {
                if (natives == null) {
                    natives = load();
                }
                n = natives;
            }
        }
        return n;
    }

    /** The autocast switches of the libtorch_cpu.so this process mapped (DJL's, or PYTORCH_LIBRARY_PATH's). */
    private static Natives load() {
        Path library = LoadedLibTorch.cpuLibrary();
        if (library == null) {
            throw new InvalidConfigException("precision", List.of("mixed precision needs libtorch_cpu.so, which "
                    + "this process has not loaded (DJL's PyTorch engine starts it); use precision = fp32"));
        }
        NativeLibrary lib = NativeLibrary.getInstance(library.toString());
        List<String> missing = new ArrayList<>();
        Function[] f = new Function[3];
        String[] names = {SET_ENABLED, SET_DTYPE, CLEAR_CACHE};
        for (int i = 0; i < names.length; i++) {
            try {
                f[i] = lib.getFunction(names[i]);
            } catch (UnsatisfiedLinkError e) {
                missing.add(names[i]);
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidConfigException("precision", List.of(library + " lacks libtorch 2.7.1's autocast "
                    + "symbols " + missing + " (another libtorch, through PYTORCH_LIBRARY_PATH?); use libtorch "
                    + "2.7.1 or precision = fp32"));
        }
        return new Natives(f[0], f[1], f[2]);
    }
}
