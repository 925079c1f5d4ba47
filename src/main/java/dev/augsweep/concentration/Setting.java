package dev.augsweep.concentration;

import dev.augsweep.config.Fractions;
import dev.augsweep.config.TrialConfig;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An augmentation setting of a job (letters, or colour strength) on one dataset, whatever the methods and seeds:
 * what the concentration measure is about. {@code trial} is the job's first trial with it: its dataset, data path
 * and view pipeline.
 */
public record Setting(String id, String augs, double strength, TrialConfig trial) implements Serializable {
    /** The job's settings in grid order. */
    public static List<Setting> of(List<TrialConfig> trials) {
        Map<String, Setting> settings = new LinkedHashMap<>();
        for (TrialConfig t : trials) {
            String id = t.dataset().key() + "-" + t.augs() + (t.augs().equals("color") ? "-s" + t.strengthLabel() : "");
            settings.putIfAbsent(id, new Setting(id, t.augs(), t.augs().equals("color") ? t.strength() : 1.0, t));
        }
        return new ArrayList<>(settings.values());
    }

    public String label() {
        return augs.equals("color") ? "color s=" + Fractions.format(strength) : augs;
    }

    public int classes() {
        return trial.dataset().classes();
    }
}
