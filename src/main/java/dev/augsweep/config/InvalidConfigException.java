package dev.augsweep.config;

import java.util.List;

/** Every problem found in a configuration, reported together so the user fixes them in one pass. */
public final class InvalidConfigException extends RuntimeException {
    private final List<String> problems;

    public InvalidConfigException(String source, List<String> problems) {
        super("invalid configuration (" + source + "), " + problems.size() + " problem"
                + (problems.size() == 1 ? "" : "s") + ":\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
