package dev.augsweep.device;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The libtorch this process loaded through DJL (from PYTORCH_LIBRARY_PATH, or the CPU natives DJL extracted from its
 * jar) and the C++ symbols augsweep calls on it through JNA where DJL has no API.
 */
public final class LoadedLibTorch {
    /** Set to {@code warning} (or {@code info}) to see libtorch's own warnings again. */
    public static final String LOG_ENV = "AUGSWEEP_NATIVE_LOG";
    private static final int ERROR = 2; // c10's severities: 0 info, 1 warning, 2 error, 3 fatal
    private static boolean started;

    private LoadedLibTorch() {
    }

    /**
     * Starts DJL's engine (loading libtorch) and sets libtorch's own log to errors only: its warnings repeat in
     * every trial and say nothing a user acts on ("Could not initialize NNPACK! Reason: Unsupported hardware", about
     * 80 lines a trial on CPUs NNPACK does not know, which then run the same kernels without it). c10 reads
     * TORCH_CPP_LOG_LEVEL only where Python's torch initialises logging, so its two level flags are set directly.
     * Errors, and everything augsweep prints (the kernel guard's verdicts), still show. Before the first operator.
     */
    public static synchronized void start() {
        Engine.getInstance();
        if (started) {
            return;
        }
        started = true;
        String wanted = System.getenv(LOG_ENV);
        int level = "info".equalsIgnoreCase(wanted) ? 0 : "warning".equalsIgnoreCase(wanted) ? 1 : ERROR;
        Path cpu = cpuLibrary();
        if (cpu == null) {
            return;
        }
        try {
            NativeLibrary c10 = NativeLibrary.getInstance(cpu.resolveSibling("libc10.so").toString());
            c10.getGlobalVariableAddress("FLAGS_minloglevel").setInt(0, level);
            c10.getGlobalVariableAddress("FLAGS_caffe2_log_level").setInt(0, level);
        } catch (UnsatisfiedLinkError e) {
            // a libtorch built with glog, or without these flags: its log stays as it is
        }
    }

    /** The directory DJL loaded libtorch from (starting the engine if needed). */
    public static Path directory() {
        start();
        return Path.of(LibUtils.getLibtorchPath());
    }

    /** The libtorch_cpu.so this process mapped, or null before DJL's engine started. */
    public static Path cpuLibrary() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int at = line.indexOf('/');
                if (at >= 0 && line.endsWith("/libtorch_cpu.so")) {
                    return Path.of(line.substring(at));
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** A function of the loaded libtorch_cpu.so, or null where the library or the symbol is missing. */
    public static Function function(String symbol) {
        Path library = cpuLibrary();
        if (library == null) {
            return null;
        }
        try {
            return NativeLibrary.getInstance(library.toString()).getFunction(symbol);
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
    }
}
