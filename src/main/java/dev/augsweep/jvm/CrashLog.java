package dev.augsweep.jvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A JVM's fatal error log (hs_err_pid*.log), as HotSpot writes it when native code crashes the process: where it
 * is, and the lines a user needs first (signal, problematic frame, the native frames under it).
 */
public record CrashLog(Path file, String signal, String problematicFrame, List<String> nativeFrames) {
    private static final int FRAMES = 3;
    private static final int FRAME_CHARS = 110;

    /** Where a JVM started with {@code -XX:ErrorFile=<dir>/hs_err_pid%p.log} puts its log. */
    public static Path expected(Path dir, long pid) {
        return dir.resolve("hs_err_pid" + pid + ".log");
    }

    /** The -XX flag that sends a JVM's fatal error log to {@code dir} rather than its working directory. */
    public static String errorFileFlag(Path dir) {
        return "-XX:ErrorFile=" + dir.toAbsolutePath().resolve("hs_err_pid%p.log");
    }

    public static CrashLog read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read crash log " + file, e);
        }
        String signal = "";
        String frame = "";
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (signal.isEmpty() && line.startsWith("#  SIG")) {
                signal = line.substring(3).split(" at pc=")[0].trim();
            } else if (frame.isEmpty() && line.startsWith("# Problematic frame:") && i + 1 < lines.size()) {
                frame = shorten(lines.get(i + 1).replaceFirst("^#\\s*", ""));
            } else if (frames.isEmpty() && line.startsWith("Native frames:")) {
                for (int j = i + 1; j < lines.size() && frames.size() < FRAMES && !lines.get(j).isBlank(); j++) {
                    frames.add(shorten(lines.get(j)));
                }
            }
        }
        return new CrashLog(file, signal.isEmpty() ? "a fatal error" : signal, frame, List.copyOf(frames));
    }

    /** A frame without its addresses, whitespace squeezed, cut to a readable length. */
    private static String shorten(String frame) {
        String s = frame.replaceAll(" @ 0x\\p{XDigit}+.*$", "").replaceAll("\\s+", " ").trim();
        return s.length() > FRAME_CHARS ? s.substring(0, FRAME_CHARS) + "..." : s;
    }

    /** One line: "SIGSEGV (0xb) in C [libtorch_cpu.so+0x...] ..., called from ...; crash log: FILE". */
    public String summary() {
        return summary(file.toString());
    }

    /** The same line, naming where the log was moved to. */
    public String summary(String location) {
        StringBuilder sb = new StringBuilder(signal);
        if (!problematicFrame.isEmpty()) {
            sb.append(" in ").append(problematicFrame);
        }
        List<String> callers = nativeFrames.stream().skip(1).toList();
        if (!callers.isEmpty()) {
            sb.append(", called from ").append(String.join(" <- ", callers));
        }
        return sb.append("; crash log: ").append(location).toString();
    }
}
