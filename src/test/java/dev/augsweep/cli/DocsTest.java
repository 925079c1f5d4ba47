package dev.augsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.config.ConfigReference;
import dev.augsweep.config.TrialConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README and the guides under docs/ hold together: every relative link and anchor resolves, every command they
 * show is one the CLI has, and the configuration reference is what the defaults generate.
 */
class DocsTest {
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    /** A command as a user types it: ./augsweep VERB in a code block, or `augsweep VERB` in running text. */
    private static final Pattern COMMAND = Pattern.compile("(?:^|[\\s;&|(])(?:\\./|\\$PWD/)augsweep\\s+([a-z-]+)");
    private static final Pattern INLINE_COMMAND = Pattern.compile("^(?:\\./)?augsweep\\s+([a-z-]+)");

    private static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> files = Files.walk(Path.of("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    @Test
    void everyRelativeLinkAndAnchorResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        Map<Path, Set<String>> anchors = new HashMap<>();
        for (Path doc : documents()) {
            Matcher m = LINK.matcher(withoutCode(Files.readString(doc)));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*")) { // http:, https:, mailto:
                    continue;
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved = file.isEmpty() ? doc : doc.toAbsolutePath().getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(doc + ": " + target + " (no such file)");
                } else if (hash >= 0 && !anchors.computeIfAbsent(resolved, DocsTest::anchorsOf)
                        .contains(target.substring(hash + 1))) {
                    broken.add(doc + ": " + target + " (no such heading)");
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void everyCommandShownIsOneTheCliHas() throws IOException {
        Set<String> verbs = new LinkedHashSet<>(Main.commandLine().getSubcommands().keySet());
        verbs.addAll(List.of("--help", "--version"));
        List<String> unknown = new ArrayList<>();
        int shown = 0;
        for (Path doc : documents()) {
            boolean inCode = false;
            for (String line : Files.readAllLines(doc)) {
                if (line.trim().startsWith("```")) {
                    inCode = !inCode;
                    continue;
                }
                List<Matcher> found = new ArrayList<>(List.of(COMMAND.matcher(line)));
                if (!inCode) {
                    inlineCode(line).forEach(span -> found.add(INLINE_COMMAND.matcher(span)));
                }
                for (Matcher m : found) {
                    while (m.find()) {
                        shown++;
                        if (!verbs.contains(m.group(1))) {
                            unknown.add(doc + ": augsweep " + m.group(1) + " in: " + line.trim());
                        }
                    }
                }
            }
        }
        assertThat(shown).as("commands found").isGreaterThan(20);
        assertThat(unknown).isEmpty();
    }

    @Test
    void theConfigurationReferenceIsWhatTheDefaultsGenerate() throws IOException {
        String generated = ConfigReference.markdown(TrialConfigs.defaultsText());
        assertThat(Files.readString(Path.of("docs/configuration.md")))
                .as("docs/configuration.md is stale: run ./augsweep config --markdown > docs/configuration.md")
                .isEqualTo(generated);
        for (ConfigReference.Entry e : ConfigReference.entries(TrialConfigs.defaultsText())) {
            assertThat(generated).contains("| `" + e.key() + "` |");
        }
        assertThat(ConfigReference.entries(TrialConfigs.defaultsText())).anySatisfy(e -> {
            assertThat(e.key()).isEqualTo("batch-size");
            assertThat(e.value()).isEqualTo("512");
            assertThat(e.section()).isEqualTo("scale");
            assertThat(e.comment()).contains("97 steps per epoch");
        });
    }

    /** GitHub's anchors of a Markdown file's headings: lower case, punctuation dropped, spaces as hyphens, -N for repeats. */
    private static Set<String> anchorsOf(Path doc) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        try {
            for (String line : withoutCode(Files.readString(doc)).split("\n")) {
                if (line.startsWith("#")) {
                    String slug = line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT)
                            .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
                    int n = seen.merge(slug, 1, Integer::sum);
                    anchors.add(n == 1 ? slug : slug + "-" + (n - 1));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return anchors;
    }

    /** The text outside fenced code blocks (a "#" there is a comment, not a heading). */
    private static String withoutCode(String text) {
        StringBuilder out = new StringBuilder();
        boolean inCode = false;
        for (String line : text.split("\n", -1)) {
            if (line.trim().startsWith("```")) {
                inCode = !inCode;
            } else if (!inCode) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    private static List<String> inlineCode(String line) {
        List<String> spans = new ArrayList<>();
        Matcher m = Pattern.compile("`([^`]+)`").matcher(line);
        while (m.find()) {
            spans.add(m.group(1));
        }
        return spans;
    }
}
