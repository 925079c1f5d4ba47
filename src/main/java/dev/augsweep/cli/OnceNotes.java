package dev.augsweep.cli;

import dev.augsweep.data.UserCache;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Notes a user needs to read once, not on every command (that older rows lack a column, say): each is said the first
 * time for its results and remembered in the user cache. Warnings that may change are never made notes.
 */
final class OnceNotes {
    private OnceNotes() {
    }

    /** Prints {@code note} on {@code err} unless it was said before about {@code about} (its results). */
    static void say(PrintStream err, String about, String note) {
        Path said = UserCache.dir().resolve("notes-said");
        String key = hash(about + "\n" + note);
        try {
            if (Files.isRegularFile(said) && Files.readAllLines(said).contains(key)) {
                return;
            }
            Files.createDirectories(said.getParent());
            Files.writeString(said, key + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            // an unwritable cache: the note is said every time, as before
        }
        err.println(note + " (said once for these results)");
    }

    private static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
