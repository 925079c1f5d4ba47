package dev.augsweep.driver;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.results.ResultsLayout;
import dev.augsweep.storage.Storage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** sweep.json: which sweep a results directory belongs to, so a different job cannot mix its rows in. */
final class JobMarker {
    private JobMarker() {
    }

    static void claim(ResultsLayout layout, String jobName, String jobFile) {
        if (Storage.isFile(layout.jobMarker())) {
            Config existing = ConfigFactory.parseString(Storage.readString(layout.jobMarker()));
            String name = existing.getString("name");
            if (!name.equals(jobName)) {
                throw new InvalidConfigException(layout.root().toString(), List.of("results directory "
                        + layout.root() + " holds sweep '" + name + "' (from " + existing.getString("job_file")
                        + "), not '" + jobName + "'; pass another --results directory for this job"));
            }
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", jobName);
        m.put("job_file", jobFile);
        m.put("created_ms", System.currentTimeMillis());
        Storage.writeString(layout.jobMarker(),
                ConfigValueFactory.fromMap(m).render(ConfigRenderOptions.concise().setFormatted(true)));
    }
}
