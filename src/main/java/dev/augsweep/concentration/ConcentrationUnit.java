package dev.augsweep.concentration;

import java.io.Serializable;

/**
 * A Spark task of the measure: the augmented distances of one setting's class, then, once every setting's are in
 * (the deltas come from all of them), its maximum cliques at each delta.
 */
public sealed interface ConcentrationUnit extends Serializable {
    Setting setting();

    int clazz();

    default String describe() {
        return (this instanceof Distances ? "distances " : "cliques ") + setting().id() + " class " + clazz();
    }

    record Distances(Setting setting, int clazz) implements ConcentrationUnit {
    }

    record Cliques(Setting setting, int clazz, double[] deltas) implements ConcentrationUnit {
    }
}
