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
    private LoadedLibTorch() {
    }

    /** The directory DJL loaded libtorch from (starting the engine if needed). */
    public static Path directory() {
        Engine.getInstance();
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
