package dev.augsweep.testing;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import dev.augsweep.numerics.OneDnnGuard;
import java.io.PrintWriter;
import java.util.List;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The tests tagged {@value #TAG} (precision and layout), run in a JVM of their own under whatever instruction set
 * ONEDNN_MAX_CPU_ISA caps oneDNN at and the kernel guard then lets through. A child of NumericsAtEachIsaTest: it
 * prints where it ran and its summary after {@value #PREFIX}, and exits 1 if any test failed.
 *
 * <p>Arguments: the kernels already covered (as {@link OneDnnGuard.Verdict#kernels()} says them); where the guard
 * leaves this JVM on one of them, the same tests have run on the same kernels already and it stops at once.
 */
public final class NumericsSuite {
    public static final String TAG = "numerics";
    public static final String PREFIX = "@@numerics ";

    private NumericsSuite() {
    }

    public static void main(String[] args) {
        Launcher launcher = LauncherFactory.create(); // opens the session: the guard is applied here
        String kernels = OneDnnGuard.apply(System.out).kernels();
        System.out.println(PREFIX + "kernels " + kernels);
        System.out.println(PREFIX + "on " + RanHere.cpu());
        if (List.of(args).contains(kernels)) {
            System.out.println(PREFIX + "covered: the guard left these kernels, on which the suite ran already");
            System.exit(0);
        }
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage("dev.augsweep")).filters(TagFilter.includeTags(TAG)).build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        summary.printFailuresTo(new PrintWriter(System.out, true), 40);
        System.out.println(PREFIX + "ran " + summary.getTestsSucceededCount() + " passed "
                + summary.getTotalFailureCount() + " failed " + summary.getTestsSkippedCount() + " skipped");
        System.exit(summary.getTotalFailureCount() == 0 ? 0 : 1);
    }
}
