package dev.augsweep.cli;

import dev.augsweep.ui.DashboardServer;
import picocli.CommandLine.Option;

/** Where the dashboard listens: shared by run (while the sweep runs) and serve (over finished results). */
final class UiOptions {
    @Option(names = "--ui-port", paramLabel = "PORT", description = "Port of the dashboard (default: the first free "
            + "one from " + DashboardServer.FIRST_PORT + "; 0 for any free port)")
    Integer port;

    @Option(names = "--ui-host", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "Address the "
            + "dashboard listens on (default ${DEFAULT-VALUE}: this machine only; from a laptop, open it through an "
            + "SSH tunnel: ssh -L 4050:localhost:4050 DRIVER_HOST)")
    String host;

    /** The line that says where the dashboard is. */
    static String address(DashboardServer server, String what) {
        return "[ui] dashboard of " + what + " at " + server.url() + " (read-only; from another machine: ssh -L "
                + server.port() + ":localhost:" + server.port() + " <this host>, then open that address there)";
    }
}
