package dev.augsweep.numerics;

import ai.djl.Device;
import dev.augsweep.config.TrialConfig;
import dev.augsweep.config.TrialConfigs;
import dev.augsweep.data.UserCache;
import dev.augsweep.device.LoadedLibTorch;
import dev.augsweep.jvm.ChildJvm;
import dev.augsweep.model.MemoryLayout;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Guards libtorch's CPU convolutions by what they compute. oneDNN, which runs them, generates its kernels for the
 * CPU's instruction set and cache sizes; on some machines those kernels read memory nobody wrote (seen on a
 * virtualised AMD EPYC with AVX-512: gradients off by order 1, or NaN, at AVX2 and above, varying with what the
 * allocator handed out; right at SSE4.1). Once per machine and shape, a child JVM per candidate instruction set,
 * fastest first, compares one training step with libtorch's own kernels (oneDNN off), under glibc filling fresh memory with a
 * pattern (MALLOC_PERTURB_) so that reads of unwritten memory show as errors rather than as luck. The fastest
 * candidate that agrees is cached in the user cache, set in each process before its first convolution, and checked
 * once more there; where it still disagrees (oneDNN already ran in this process, say), oneDNN is switched off,
 * and a cached set that disagreed so is marked in the cache: the next process probes again from the next slower
 * candidate instead of retrying it (on one EPYC, AVX512_CORE agreed in the probe and disagreed in every trial).
 * The verdict is per shape trained (width, memory layout, batch size): the same EPYC that miscomputes at width 1/8
 * in NCHW computes width 1/4 in channels-last right at AVX-512, five times faster than at SSE4.1. A process's first
 * shape fixes its instruction set (oneDNN reads it once); a later shape is checked in the process, and where it
 * disagrees oneDNN is switched off for the rest of the process.
 */
public final class OneDnnGuard {
    public static final String ISA_ENV = "ONEDNN_MAX_CPU_ISA";
    /** The system property --verbose sets (child JVMs inherit augsweep.* properties): says the verdict per shape. */
    public static final String VERBOSE = "augsweep.verbose";
    /** oneDNN's own choice: the best the CPU has. */
    static final String DEFAULT = "DEFAULT";
    /** oneDNN off: libtorch's own convolutions, correct everywhere and several times slower. */
    static final String NATIVE = "NATIVE";
    static final List<String> CANDIDATES = List.of(DEFAULT, "AVX512_CORE", "AVX2", "SSE41");
    /**
     * The relative error a kernel may show against libtorch's own: rounding gives up to about 1e-2 (batch 512),
     * kernels reading unwritten memory 0.1 to 1.6 or NaN, and now and then less than 0.1 (9.8e-2 seen once), so
     * tighter than the layout check's 10%.
     */
    static final double TOLERANCE = 0.03;
    /** The cache's key for the sets that agreed in the probe and disagreed in a process afterwards. */
    private static final String FAILED = "failed-in-process";
    /** Bumped when the probe changes, so cached verdicts of an older probe are not trusted. */
    private static final int PROBE_VERSION = 5;
    /** The verdict in force in this process (its instruction set is fixed once chosen), null before the first. */
    private static Verdict applied;
    /** Shapes checked in this process, by {@link #key}. */
    private static final Map<String, Verdict> CHECKED = new HashMap<>();

    /** What oneDNN's kernels depend on in a training step: the network's width, its memory layout, the batch. */
    public record Shape(double width, MemoryLayout layout, int batchSize) {
        /** One step of SimCLR (the backbone's convolutions are the same in every method) at this shape. */
        TrialConfig step() {
            return TrialConfigs.load(null, List.of("method=simclr", "width=" + width, "batch-size=" + batchSize,
                    "layout=" + layout.key()));
        }

        String arg() {
            return width + "," + layout.key() + "," + batchSize;
        }

        static Shape parse(String arg) {
            String[] f = arg.split(",");
            return new Shape(Double.parseDouble(f[0]), MemoryLayout.resolve(f[1], Double.parseDouble(f[0])),
                    Integer.parseInt(f[2]));
        }

        @Override
        public String toString() {
            return "width " + width + " " + layout.key() + " batch " + batchSize;
        }
    }

    private OneDnnGuard() {
    }

    /**
     * @param isa      {@link #DEFAULT}, an ONEDNN_MAX_CPU_ISA value, or {@link #NATIVE}
     * @param evidence what was measured, in words
     */
    public record Verdict(String isa, String evidence) {
        /** Whether oneDNN may still use the CPU's bf16 instructions (limited below AVX512_CORE_BF16 it has none). */
        public boolean keepsBf16Kernels() {
            String u = isa.toUpperCase(Locale.ROOT);
            return u.equals(DEFAULT) || u.contains("BF16") || u.contains("AMX") || u.contains("AVX10");
        }

        /** The kernels in a word or two, as each epoch records them (train.RanOn). */
        public String kernels() {
            return switch (isa) {
                case DEFAULT -> "oneDNN";
                case NATIVE -> "libtorch native";
                default -> "oneDNN " + isa;
            };
        }

        public String describe() {
            String what = switch (isa) {
                case DEFAULT -> "oneDNN at this CPU's best instruction set";
                case NATIVE -> "libtorch's own kernels (oneDNN off)";
                default -> "oneDNN limited to " + isa;
            };
            return what + " (" + evidence + ")";
        }
    }

    /**
     * The verdict in force in this process; the first call (before any convolution) applies the verdict for every
     * probe shape, as tests and commands that train no one shape need.
     */
    public static synchronized Verdict apply(PrintStream out) {
        return applied != null ? applied : apply(out, probeShapes());
    }

    /** Applies the verdict for {@code shape}, before a step of it first runs in this process. */
    public static Verdict apply(PrintStream out, Shape shape) {
        return apply(out, List.of(shape));
    }

    /**
     * Sets this process's CPU convolutions to the machine's verdict for {@code shapes} (probing it the first time)
     * and checks them here. The first call chooses the instruction set; later calls with other shapes check them
     * under it. ONEDNN_MAX_CPU_ISA set by the user is kept, and checked the same way.
     */
    static synchronized Verdict apply(PrintStream out, List<Shape> shapes) {
        String key = key(shapes);
        Verdict known = CHECKED.get(key);
        if (known != null) {
            return known;
        }
        LoadedLibTorch.start(); // quiets libtorch's log before its first operator
        Verdict v;
        boolean fromCache = false;
        if (applied == null) {
            String user = System.getenv(ISA_ENV);
            fromCache = user == null || user.isBlank();
            v = fromCache ? machineVerdict(out, shapes) : new Verdict(user, ISA_ENV + "=" + user + " was set");
            if (v.isa().equals(NATIVE)) {
                OneDnn.enable(false);
            } else if (!v.isa().equals(DEFAULT) && fromCache) {
                OneDnn.limitIsa(v.isa());
            }
        } else {
            v = applied;
        }
        if (!v.isa().equals(NATIVE)) {
            LayoutCheck.Agreement here = worstOver(shapes);
            if (!(here.worstError() <= TOLERANCE)) {
                if (fromCache) {
                    disagreedInProcess(shapes, v.isa());
                }
                OneDnn.enable(false);
                v = new Verdict(NATIVE, "oneDNN at " + v.isa() + " disagreed in this process: " + describe(here));
                CHECKED.clear(); // the whole process computes natively from now on
            }
        }
        if (!v.equals(applied) && Boolean.getBoolean(VERBOSE)) { // each trial records its kernels anyway
            out.println("CPU convolutions: " + v.describe());
        }
        applied = v;
        CHECKED.put(key, v);
        return v;
    }

    /** The verdict cached for this machine, else probed now (other processes of the machine wait for it). */
    static Verdict machineVerdict(PrintStream out, List<Shape> shapes) {
        Path file = cacheFile(shapes);
        return underLock(file, () -> {
            Verdict cached = read(file);
            if (cached != null) {
                return cached;
            }
            List<String> failed = failedInProcess(file);
            out.println("Checking libtorch's CPU convolutions on this machine at " + key(shapes) + ", once (cached in "
                    + file + ")" + (failed.isEmpty() ? "" : "; " + String.join(", ", failed)
                    + " disagreed in a process after its probe, so from the next slower on"));
            Verdict v = probe(out, shapes, candidatesAfter(failed));
            if (!failed.isEmpty()) {
                v = new Verdict(v.isa(), String.join(", ", failed) + " disagreed in a process; " + v.evidence());
            }
            write(file, v);
            return v;
        });
    }

    /** Marks {@code isa}, the cached verdict for {@code shapes}, as having disagreed in a process. */
    static void disagreedInProcess(List<Shape> shapes, String isa) {
        Path file = cacheFile(shapes);
        underLock(file, () -> {
            markFailed(file, isa);
            return null;
        });
    }

    private static Path cacheFile(List<Shape> shapes) {
        return UserCache.dir().resolve("onednn").resolve(machineKey(shapes) + ".properties");
    }

    private interface CacheWork<T> {
        T run() throws IOException;
    }

    /** Runs {@code work} holding the cache file's lock, which every process of the machine takes. */
    private static <T> T underLock(Path file, CacheWork<T> work) {
        Path dir = file.getParent();
        try {
            Files.createDirectories(dir);
            try (FileChannel lock = FileChannel.open(file.resolveSibling(file.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock ignored = lock.lock()) {
                return work.run();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the CPU kernel verdict in " + dir
                    + ": make it writable or set AUGSWEEP_CACHE to a writable directory", e);
        }
    }

    /** The candidates slower than every set that disagreed in a process (all of them when none did). */
    static List<String> candidatesAfter(List<String> failed) {
        int last = failed.stream().mapToInt(CANDIDATES::indexOf).max().orElse(-1);
        return CANDIDATES.subList(last + 1, CANDIDATES.size());
    }

    /** Each candidate in a child JVM, fastest first, until one agrees with libtorch's own kernels. */
    static Verdict probe(PrintStream out, List<Shape> shapes, List<String> candidates) throws IOException {
        List<String> rejected = new ArrayList<>();
        for (String isa : candidates) {
            Map<String, String> env = new HashMap<>(Map.of("MALLOC_PERTURB_", "165", "LD_PRELOAD", ""));
            if (!isa.equals(DEFAULT)) {
                env.put(ISA_ENV, isa);
            }
            Path crashes = Files.createTempDirectory("augsweep-onednn-");
            double worst;
            String where;
            try {
                worst = 0;
                where = "";
                for (String line : ChildJvm.run(OneDnnProbe.class, ChildJvm.sameFlags(),
                        shapes.stream().map(Shape::arg).toList(), env, crashes,
                        OneDnnProbe.PREFIX, new PrintStream(OutputStream.nullOutputStream()))) {
                    String[] f = line.split(" ", 2);
                    double e = Double.parseDouble(f[0]);
                    if (!(e <= worst)) {
                        worst = Double.isNaN(e) ? Double.POSITIVE_INFINITY : e;
                        where = f[1];
                    }
                }
                deleteIfEmpty(crashes);
            } catch (IllegalStateException e) {
                List<String> lines = e.getMessage().lines().filter(l -> !l.isBlank()).toList();
                rejected.add(isa + " failed (" + lines.get(0) + (lines.size() > 1 ? " " + lines.get(lines.size() - 1)
                        : "") + (Files.isDirectory(crashes) ? ", crash log in " + crashes : "") + ")");
                out.println("  " + rejected.get(rejected.size() - 1));
                deleteIfEmpty(crashes);
                continue;
            }
            String figure = String.format(Locale.ROOT, "%s: %.1e at %s", isa, worst, where);
            out.println("  " + figure);
            if (worst <= TOLERANCE) {
                return new Verdict(isa, (rejected.isEmpty() ? "" : String.join("; ", rejected) + "; ") + figure
                        + ", against libtorch's own kernels");
            }
            rejected.add(figure);
        }
        return new Verdict(NATIVE, "every oneDNN instruction set disagreed with libtorch's own kernels: "
                + String.join("; ", rejected));
    }

    /**
     * The shapes probed where no one shape is trained: NCHW with channels in and out of 8-wide blocks, and
     * channels-last, as training picks them.
     */
    static List<Shape> probeShapes() {
        return List.of(0.125, 0.1875, 0.25).stream()
                .map(w -> new Shape(w, MemoryLayout.resolve("auto", w), 32)).toList();
    }

    /** One step of {@code shape} in oneDNN against the same step on libtorch's own kernels, in this process. */
    static LayoutCheck.Agreement compareWithNative(Shape shape) {
        TrialConfig step = shape.step();
        float[][] v = LayoutCheck.views(step);
        Map<String, float[]> reference;
        try {
            OneDnn.enable(false);
            reference = LayoutCheck.gradients(step, MemoryLayout.NCHW, Device.cpu(), v[0], v[1]);
        } finally {
            OneDnn.enable(true);
        }
        return LayoutCheck.agreement(shape.layout(), reference,
                LayoutCheck.gradients(step, shape.layout(), Device.cpu(), v[0], v[1]),
                LayoutCheck.lossScale(step, reference));
    }

    private static LayoutCheck.Agreement worstOver(List<Shape> shapes) {
        LayoutCheck.Agreement worst = null;
        for (Shape shape : shapes) {
            LayoutCheck.Agreement a = compareWithNative(shape);
            if (worst == null || !(a.worstError() <= worst.worstError())) {
                worst = a;
            }
        }
        return worst;
    }

    static String key(List<Shape> shapes) {
        return String.join("; ", shapes.stream().map(Shape::toString).toList());
    }

    private static String describe(LayoutCheck.Agreement a) {
        return String.format(Locale.ROOT, "%.1e at %s (%s)", a.worstError(), a.worstParameter(), a.layout().key());
    }

    /** CPU model, flags and caches, the libtorch loaded and the shapes: what oneDNN's choice of kernels depends on. */
    static String machineKey(List<Shape> shapes) {
        StringBuilder s = new StringBuilder("probe " + PROBE_VERSION + "\n" + CANDIDATES + "\n" + key(shapes) + "\n");
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name") || line.startsWith("flags")) {
                    s.append(line).append('\n');
                }
                if (line.isBlank()) {
                    break; // the first processor describes them all
                }
            }
            Path caches = Path.of("/sys/devices/system/cpu/cpu0/cache");
            if (Files.isDirectory(caches)) {
                try (var dirs = Files.list(caches)) {
                    for (Path d : dirs.sorted().toList()) {
                        Path size = d.resolve("size");
                        if (Files.isReadable(size)) {
                            s.append(d.getFileName()).append(' ').append(Files.readString(size).trim()).append('\n');
                        }
                    }
                }
            }
        } catch (IOException e) {
            s.append("cpu unknown\n");
        }
        s.append(LoadedLibTorch.directory());
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cached verdict; null when there is none, it is torn, or its set has since disagreed in a process. */
    static Verdict read(Path file) throws IOException {
        Properties p = load(file);
        String isa = p.getProperty("isa");
        String evidence = p.getProperty("evidence");
        return isa == null || isa.isBlank() || evidence == null || failed(p).contains(isa) ? null
                : new Verdict(isa, evidence);
    }

    /** The instruction sets that agreed in a probe and then disagreed in a process, in the order they did. */
    static List<String> failedInProcess(Path file) throws IOException {
        return failed(load(file));
    }

    /** Writes the verdict, keeping the sets that failed in a process. */
    static void write(Path file, Verdict v) throws IOException {
        Properties p = load(file);
        p.setProperty("isa", v.isa());
        p.setProperty("evidence", v.evidence());
        store(file, p);
    }

    static void markFailed(Path file, String isa) throws IOException {
        Properties p = load(file);
        List<String> failed = new ArrayList<>(failed(p));
        if (!failed.contains(isa)) {
            failed.add(isa);
        }
        p.setProperty(FAILED, String.join(",", failed));
        store(file, p);
    }

    private static List<String> failed(Properties p) {
        String f = p.getProperty(FAILED, "");
        return f.isBlank() ? List.of() : List.of(f.split(","));
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(in);
            }
        }
        return p;
    }

    private static void store(Path file, Properties p) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (var w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "augsweep: which CPU convolutions compute correctly on this machine (delete to check again)");
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void deleteIfEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a crash log is there: it stays for the user
        }
    }
}
