package dev.augsweep.sweep;

import dev.augsweep.train.EpochMetrics;
import dev.augsweep.train.ProgressListener;
import java.lang.reflect.Field;
import java.util.regex.Pattern;

/**
 * Faults for the retry, resume and crash tests, off unless their system property is set (a driver passes them on
 * to the processes that train):
 * <ul>
 *   <li>{@code augsweep.fault.crash-after-epoch=N}: the first Spark attempt of every task throws right after epoch
 *       N's checkpoint, as a lost executor would;</li>
 *   <li>{@code augsweep.fault.native-crash=REGEX@N}: the process training a trial whose id matches REGEX dies of a
 *       real SIGSEGV right after epoch N's checkpoint, unless it is a conservative retry;</li>
 *   <li>{@code augsweep.fault.native-crash-always=REGEX@N}: in every attempt, retries included, after the first
 *       epoch it completes from epoch N on (a retry resumes past N).</li>
 * </ul>
 */
final class FaultInjection {
    static final String PROPERTY = "augsweep.fault.crash-after-epoch";
    static final String NATIVE = "augsweep.fault.native-crash";
    static final String NATIVE_ALWAYS = "augsweep.fault.native-crash-always";

    private FaultInjection() {
    }

    static ProgressListener wrap(ProgressListener inner, WorkerRequest request) {
        Integer crashAfter = Integer.getInteger(PROPERTY);
        Integer always = nativeCrashEpoch(System.getProperty(NATIVE_ALWAYS), request.trial().id());
        Integer once = request.conservative() ? null : nativeCrashEpoch(System.getProperty(NATIVE), request.trial().id());
        if (crashAfter == null && always == null && once == null) {
            return inner;
        }
        return new ProgressListener() {
            @Override
            public void started(String id, int start, int epochs, int steps, String device, boolean resumed) {
                inner.started(id, start, epochs, steps, device, resumed);
            }

            @Override
            public void step(int epoch, int step, int steps, double loss, double imagesPerSecond) {
                inner.step(epoch, step, steps, loss, imagesPerSecond);
            }

            @Override
            public void epoch(EpochMetrics m, int epochs, EpochMetrics best, double eta) {
                inner.epoch(m, epochs, best, eta);
                if ((once != null && m.epoch() == once) || (always != null && m.epoch() >= always)) {
                    segfault();
                }
                if (crashAfter != null && m.epoch() == crashAfter && request.sparkAttempt() == 0) {
                    throw new IllegalStateException("injected fault: task attempt 0 dies after epoch " + crashAfter);
                }
            }

            @Override
            public void message(String text) {
                inner.message(text);
            }

            @Override
            public void once(String text) {
                inner.once(text);
            }
        };
    }

    /** N when {@code spec} is REGEX@N and the regex matches the trial id, else null. */
    static Integer nativeCrashEpoch(String spec, String trialId) {
        if (spec == null) {
            return null;
        }
        int at = spec.lastIndexOf('@');
        return Pattern.compile(spec.substring(0, at)).matcher(trialId).find()
                ? Integer.valueOf(spec.substring(at + 1)) : null;
    }

    /** A real native crash: a write to address 0, which HotSpot reports as SIGSEGV with a crash log. */
    private static void segfault() {
        System.out.flush();
        try {
            Field f = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
            f.setAccessible(true);
            Object unsafe = f.get(null);
            unsafe.getClass().getMethod("putAddress", long.class, long.class).invoke(unsafe, 0L, 42L);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot inject a native crash", e);
        }
    }
}
