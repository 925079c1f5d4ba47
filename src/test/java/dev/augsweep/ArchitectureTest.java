package dev.augsweep;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import dev.augsweep.cli.Main;
import dev.augsweep.model.PlantedBackImport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The packages' layers (docs/development.md: Layout), bottom first: a package may use those below it, never one
 * above, and no packages depend on each other in a circle. Packages on one line are peers that do not use each
 * other. A new import that runs back up fails here: move the piece down, or reshape the shared part.
 */
class ArchitectureTest {
    static final List<List<String>> LAYERS = List.of(
            List.of("storage", "jvm"),
            List.of("data"),
            List.of("config"),
            List.of("device", "model", "schedule", "search"),
            List.of("augment"),
            List.of("method"),
            List.of("eval", "numerics"),
            List.of("train"),
            List.of("results", "job"),
            List.of("report", "driver"),
            List.of("sweep", "concentration"),
            List.of("bench", "ui"),
            List.of("cli"));

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.augsweep");

    /** Each package may be used only by the layers above it. */
    static ArchRule layers() {
        LayeredArchitecture rule = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (List<String> layer : LAYERS) {
            for (String pkg : layer) {
                rule = rule.layer(pkg).definedBy("dev.augsweep." + pkg + "..");
            }
        }
        for (int i = 0; i < LAYERS.size(); i++) {
            List<String> above = new ArrayList<>();
            LAYERS.subList(i + 1, LAYERS.size()).forEach(above::addAll);
            for (String pkg : LAYERS.get(i)) {
                rule = above.isEmpty() ? rule.whereLayer(pkg).mayNotBeAccessedByAnyLayer()
                        : rule.whereLayer(pkg).mayOnlyBeAccessedByLayers(above.toArray(String[]::new));
            }
        }
        return rule;
    }

    static ArchRule noCycles() {
        return slices().matching("dev.augsweep.(*)..").should().beFreeOfCycles();
    }

    @Test
    void noPackageUsesOneAboveIt() {
        layers().check(MAIN);
    }

    @Test
    void packagesDependOnEachOtherInNoCircle() {
        noCycles().check(MAIN);
    }

    @Test
    void everyPackageHasItsLayer() {
        List<String> named = LAYERS.stream().flatMap(List::stream).toList();
        List<String> packages = MAIN.stream().map(c -> c.getPackageName().substring("dev.augsweep.".length()))
                .map(p -> p.split("\\.")[0]).distinct().sorted().toList();
        assertThat(named).containsExactlyInAnyOrderElementsOf(packages);
    }

    /** The rules are not vacuous: the main classes and one class in model (low) that uses cli (the top) fail both. */
    @Test
    void aPlantedBackImportFailsBothRules() {
        JavaClasses planted = new ClassFileImporter().withImportOption(location -> !location.contains("/test-classes/")
                || location.contains(PlantedBackImport.class.getSimpleName())).importPackages("dev.augsweep");
        assertThat(planted.contain(PlantedBackImport.class)).isTrue();
        assertThatThrownBy(() -> layers().check(planted)).isInstanceOf(AssertionError.class)
                .hasMessageContaining(PlantedBackImport.class.getName()).hasMessageContaining(Main.class.getName());
        assertThatThrownBy(() -> noCycles().check(planted)).isInstanceOf(AssertionError.class)
                .hasMessageContaining(PlantedBackImport.class.getSimpleName());
    }
}
