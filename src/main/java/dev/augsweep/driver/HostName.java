package dev.augsweep.driver;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** This machine's host name, as drivers and trials record where they ran; looked up once per process (DNS can wait). */
public final class HostName {
    public static final String NAME = lookUp();

    private HostName() {
    }

    private static String lookUp() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
