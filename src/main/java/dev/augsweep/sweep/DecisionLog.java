package dev.augsweep.sweep;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import dev.augsweep.results.ResultsLayout;
import dev.augsweep.storage.Storage;
import dev.augsweep.storage.StorePath;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A schedule's decisions on the results store, written before they are acted on, at a cost per batch that does
 * not grow with the log: each batch is a new file under {@code schedule-log/}; every {@link #TAIL} batches they are
 * folded into {@code schedule.json} (rewritten whole, then the folded files removed). A driver stopped in between
 * reads a decision twice, which replaying tolerates (a decision applied again changes nothing).
 */
final class DecisionLog {
    static final int TAIL = 64;
    private final ResultsLayout layout;
    private final List<Map<String, Object>> all = new ArrayList<>();
    private int tailFiles;
    private int next;

    DecisionLog(ResultsLayout layout) {
        this.layout = layout;
    }

    /** Every decision on record, oldest first. */
    List<Map<String, Object>> read() {
        all.clear();
        if (Storage.isFile(layout.scheduleLog())) {
            all.addAll(parse(layout.scheduleLog()));
        }
        List<StorePath> tail = tail();
        for (StorePath f : tail) {
            all.addAll(parse(f));
            next = Math.max(next, number(f) + 1);
        }
        tailFiles = tail.size();
        return List.copyOf(all);
    }

    /** Writes a batch of decisions durably. */
    void append(List<Map<String, Object>> batch) {
        all.addAll(batch);
        Storage.writeString(layout.scheduleLogTail().resolve(String.format("%09d.json", next++)), render(batch));
        if (++tailFiles >= TAIL) {
            List<StorePath> folded = tail();
            Storage.writeString(layout.scheduleLog(), render(all));
            folded.forEach(f -> Storage.delete(f, false));
            tailFiles = 0;
        }
    }

    private List<StorePath> tail() {
        if (!Storage.isDirectory(layout.scheduleLogTail())) {
            return List.of();
        }
        List<StorePath> files = new ArrayList<>(Storage.list(layout.scheduleLogTail()).stream()
                .filter(p -> p.name().endsWith(".json")).toList());
        files.sort(Comparator.comparingInt(DecisionLog::number));
        return files;
    }

    private static int number(StorePath f) {
        return Integer.parseInt(f.name().substring(0, f.name().length() - ".json".length()));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> parse(StorePath file) {
        List<Map<String, Object>> decisions = new ArrayList<>();
        for (Object d : ConfigFactory.parseString(Storage.readString(file)).getList("decisions").unwrapped()) {
            decisions.add((Map<String, Object>) d);
        }
        return decisions;
    }

    private static String render(List<Map<String, Object>> decisions) {
        return ConfigValueFactory.fromMap(Map.of("decisions", decisions))
                .render(ConfigRenderOptions.concise().setFormatted(true));
    }
}
