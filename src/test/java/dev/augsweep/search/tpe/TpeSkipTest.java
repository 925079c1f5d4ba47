package dev.augsweep.search.tpe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augsweep.search.Distribution;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A restarted driver rebuilds its sampler and skips the draws of the proposals it replays: the stream must then stand
 * where the proposals themselves left it, univariate and multivariate (which draw different amounts), with a
 * single-valued setting that draws nothing.
 */
class TpeSkipTest {
    @ParameterizedTest(name = "multivariate {0}")
    @ValueSource(booleans = {false, true})
    void skippingProposalsLeavesTheStreamWhereMakingThemDoes(boolean multivariate) {
        Map<String, Distribution> space = new LinkedHashMap<>();
        space.put("x", new Distribution.Uniform(-5, 5));
        space.put("lr", new Distribution.LogUniform(1e-4, 1e-1));
        space.put("n", new Distribution.IntRange(1, 10));
        space.put("c", new Distribution.Choice(List.<Object>of("a", "b", "c")));
        space.put("fixed", new Distribution.Choice(List.<Object>of("only")));
        Tpe.Settings settings = Tpe.Settings.defaults().withMultivariate(multivariate);
        TpeHistory history = TpeHistory.of(space);
        for (int i = 0; i < 12; i++) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("x", -5 + 0.8 * i);
            p.put("lr", 1e-4 * Math.pow(1.8, i));
            p.put("n", 1 + i % 10);
            p.put("c", List.of("a", "b", "c").get(i % 3));
            p.put("fixed", "only");
            history.add(p, new Observation.Complete(-Math.abs(i - 6.5)));
        }
        Tpe made = new Tpe(space, 7, settings);
        for (int i = 0; i < 3; i++) {
            made.propose(history);
        }
        Tpe skipped = new Tpe(space, 7, settings);
        skipped.skip(3);
        Map<String, Object> next = made.propose(history);
        assertThat(skipped.propose(history)).isEqualTo(next);
        assertThat(new Tpe(space, 7, settings).propose(history)).as("the stream moved").isNotEqualTo(next);
    }
}
