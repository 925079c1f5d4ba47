package dev.augsweep.model;

import dev.augsweep.cli.Main;

/**
 * A fixture of ArchitectureTest, never used: a class at the bottom layer that reaches the top one, which the layer
 * and cycle rules must both reject (the rules check main classes only, so it harms nothing else).
 */
public final class PlantedBackImport {
    private PlantedBackImport() {
    }

    public static void runsTheCommandLine() {
        Main.main(new String[0]);
    }
}
