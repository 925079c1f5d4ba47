package dev.augsweep.jvm;

/**
 * A moment a test can stop a process at: with {@code -Daugsweep.test.pause=NAME} the thread that reaches
 * {@link #at(String) at(NAME)} says so on standard output ({@code @@pause NAME}) and waits there for good, so that the
 * test can interrupt the process (Ctrl-C) in the middle of that step. Nothing happens without the property.
 */
public final class TestPause {
    public static final String PROPERTY = "augsweep.test.pause";
    public static final String MARK = "@@pause ";

    private TestPause() {
    }

    public static void at(String moment) {
        if (moment.equals(System.getProperty(PROPERTY))) {
            System.out.println(MARK + moment);
            System.out.flush();
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
