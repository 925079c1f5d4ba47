package dev.augsweep.device;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.ptr.IntByReference;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What a GPU number depends on besides the trial's settings: the card, the CUDA runtime and cuDNN libtorch uses, and
 * whether convolutions may run in TF32 (libtorch allows it by default; Ampere and newer then round convolution
 * inputs to 10 mantissa bits). Read through JNA where DJL has no API: the driver's {@code cuDeviceGetName}, cuDNN's
 * {@code cudnnGetVersion} and libtorch's {@code at::Context::allowTF32CuDNN}. Fields are null where not known.
 */
public record GpuFacts(String name, String cuda, String cudnn, Boolean tf32Conv) {
    static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";
    static final String ALLOW_TF32_CUDNN = "_ZNK2at7Context14allowTF32CuDNNEv";
    static final String SET_ALLOW_TF32_CUDNN = "_ZN2at7Context17setAllowTF32CuDNNEb";
    private static final GpuFacts NONE = new GpuFacts(null, null, null, null);

    /** The facts of {@code device} (ordinal within this process's visible GPUs); all null for the CPU. */
    public static GpuFacts of(Device device) {
        if (!device.isGpu()) {
            return NONE;
        }
        int id = device.getDeviceId();
        String capability = CudaUtils.getComputeCapability(id);
        Boolean allowed = tf32ConvAllowed();
        return new GpuFacts(name(id), cudaVersion(), cudnnVersion(),
                allowed == null ? null : allowed && capability.compareTo("80") >= 0);
    }

    /** libtorch's at::globalContext().allowTF32CuDNN() in this process, or null where libtorch lacks the symbol. */
    public static Boolean tf32ConvAllowed() {
        Function context = LoadedLibTorch.function(GLOBAL_CONTEXT);
        Function allow = LoadedLibTorch.function(ALLOW_TF32_CUDNN);
        if (context == null || allow == null) {
            return null;
        }
        // a C++ bool comes back in the low byte of the return register
        return (allow.invokeInt(new Object[] {context.invokePointer(new Object[0])}) & 0xff) != 0;
    }

    /** Sets libtorch's TF32 switch for cuDNN convolutions (torch.backends.cudnn.allow_tf32) in this process. */
    public static void allowTf32Conv(boolean allow) {
        Function context = LoadedLibTorch.function(GLOBAL_CONTEXT);
        Function set = LoadedLibTorch.function(SET_ALLOW_TF32_CUDNN);
        if (context == null || set == null) {
            throw new IllegalStateException("the loaded libtorch lacks " + SET_ALLOW_TF32_CUDNN);
        }
        set.invokeVoid(new Object[] {context.invokePointer(new Object[0]), (byte) (allow ? 1 : 0)});
    }

    /** The CUDA driver's name of visible GPU {@code ordinal}, or null without the driver library. */
    static String name(int ordinal) {
        try {
            NativeLibrary cuda = NativeLibrary.getInstance("libcuda.so.1");
            if (cuda.getFunction("cuInit").invokeInt(new Object[] {0}) != 0) {
                return null;
            }
            IntByReference device = new IntByReference();
            if (cuda.getFunction("cuDeviceGet").invokeInt(new Object[] {device, ordinal}) != 0) {
                return null;
            }
            byte[] name = new byte[256];
            if (cuda.getFunction("cuDeviceGetName").invokeInt(new Object[] {name, name.length, device.getValue()})
                    != 0) {
                return null;
            }
            int end = 0;
            while (end < name.length && name[end] != 0) {
                end++;
            }
            return new String(name, 0, end, StandardCharsets.US_ASCII);
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
    }

    /** The CUDA runtime's version, e.g. "12.8", or null. */
    static String cudaVersion() {
        if (!CudaUtils.hasCuda()) {
            return null;
        }
        int v = CudaUtils.getCudaVersion(); // 1000 * major + 10 * minor
        return v / 1000 + "." + v % 1000 / 10;
    }

    /** The cuDNN libtorch loaded (matched by its soname among the loaded libraries), e.g. "9.5.1", or null. */
    static String cudnnVersion() {
        for (String soname : new String[] {"libcudnn.so.9", "libcudnn.so.8"}) {
            try {
                long v = NativeLibrary.getInstance(soname).getFunction("cudnnGetVersion").invokeLong(new Object[0]);
                // cuDNN 9: 10000 * major + 100 * minor + patch; cuDNN 8: 1000 * major + 100 * minor + patch
                long major = v >= 90000 ? v / 10000 : v / 1000;
                long rest = v >= 90000 ? v % 10000 : v % 1000;
                return String.format(Locale.ROOT, "%d.%d.%d", major, rest / 100, rest % 100);
            } catch (UnsatisfiedLinkError e) {
                // not this one
            }
        }
        return null;
    }
}
