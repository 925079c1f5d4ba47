package dev.augsweep.data;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where augsweep keeps what it downloads, per user and machine: {@code $AUGSWEEP_CACHE}, else
 * {@code $XDG_CACHE_HOME/augsweep}, else {@code ~/.cache/augsweep} (the XDG default).
 */
public final class UserCache {
    private UserCache() {
    }

    public static Path dir() {
        return dir(System.getenv(), System.getProperty("user.home"));
    }

    static Path dir(Map<String, String> env, String home) {
        String own = env.get("AUGSWEEP_CACHE");
        if (own != null && !own.isBlank()) {
            return Path.of(own).toAbsolutePath().normalize();
        }
        // The XDG spec says to ignore a relative XDG_CACHE_HOME.
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "augsweep").normalize();
        }
        return Path.of(home, ".cache", "augsweep").toAbsolutePath().normalize();
    }
}
