package dev.augsweep.data;

import java.util.Locale;
import java.util.Optional;

/**
 * The {@code download} key: what to do when the configured data path is missing. auto fetches the official archive
 * into the user cache (one copy per machine, whatever the configured path), true fetches it to the configured path
 * itself, false never downloads.
 */
public enum DownloadPolicy {
    AUTO("auto"),
    TO_DATA_PATH("true"),
    NEVER("false");

    private final String key;

    DownloadPolicy(String key) {
        this.key = key;
    }

    /** As users write it: auto, true, false. */
    public String key() {
        return key;
    }

    /** auto, true or false; HOCON's other spellings of a boolean (yes/no, on/off) too, as the key once was one. */
    public static Optional<DownloadPolicy> of(String raw) {
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> Optional.of(AUTO);
            case "true", "yes", "on" -> Optional.of(TO_DATA_PATH);
            case "false", "no", "off" -> Optional.of(NEVER);
            default -> Optional.empty();
        };
    }
}
