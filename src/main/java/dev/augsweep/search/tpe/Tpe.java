package dev.augsweep.search.tpe;

import dev.augsweep.search.Distribution;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model-based step of Optuna 3.1's {@code TPESampler} (independent, i.e. univariate, TPE): given the trials so
 * far, it splits them into the best {@link #gamma} ("below") and the rest ("above"), fits a {@link ParzenEstimator}
 * to each, draws {@code candidates} values from the "below" model and proposes the one maximising log l(x) - log g(x),
 * one setting at a time in the space's order. With the same seed and history it proposes what Optuna would, so a
 * study can be replayed against Optuna (see {@link OptunaTpeSampler}).
 *
 * <p>Startup is not here: while {@link #modelled} is false, the caller proposes points another way (augsweep: the
 * scrambled Sobol' sequence; Optuna: {@link OptunaRandomSampler}). The random stream is this object's own
 * (numpy-compatible {@link MersenneTwister}, as Optuna's {@code TPESampler._rng}): each non-single setting takes
 * {@code 2 * candidates} doubles per proposal, so proposals must be made in the same order to be reproduced.
 *
 * <p>Cost grows with the history (every kernel of "above" is evaluated at every candidate). {@link Settings#maxAbove}
 * bounds it by fitting "above" to only its most recent observations once there are more than that: a deviation from
 * Optuna, which {@link Settings#defaults()} makes only past about 2,000 trials ({@link Settings#optuna()} never).
 *
 * <p>Use: {@code tpe = new Tpe(space, seed, Tpe.Settings.defaults())}; keep a {@link TpeHistory} of the trials in the
 * order they started; while {@code !tpe.modelled(history)} propose startup points elsewhere; then
 * {@code tpe.propose(history)}. Not thread-safe.
 */
public final class Tpe {
    /**
     * Tuning. {@link #defaults()} are Optuna 3.1's defaults plus a bound on the cost at very long histories;
     * {@link #optuna()} is Optuna's behaviour at any length.
     *
     * @param startupTrials complete + pruned trials needed before the model is used (Optuna: 10); see {@link #modelled}
     * @param candidates    candidates drawn from "below" per setting (n_ei_candidates, 24)
     * @param priorWeight   weight of the prior kernel relative to an observation (1.0)
     * @param constantLiar  whether running trials count, as the worst observations, so that proposals made while
     *                      others run spread out (Optuna's constant_liar; off by default there)
     * @param maxAbove      0: Optuna's behaviour. Otherwise "above" keeps only its most recent {@code maxAbove}
     *                      observations, so a proposal's cost stops growing with the history; identical to Optuna
     *                      while "above" has at most that many (a deviation after)
     * @param gamma         the share of observations that form "below", rounded up, at most 25 (Optuna's
     *                      default_gamma: 0.1)
     * @param multivariate  whether one estimator models all settings at once ({@link JointParzenEstimator}, Optuna's
     *                      multivariate=True; off by default there) rather than one per setting
     */
    public record Settings(int startupTrials, int candidates, double priorWeight, boolean constantLiar, int maxAbove,
                           double gamma, boolean multivariate) {
        /** The default bound on "above": proposals are Optuna's exactly for histories up to about 2,000 trials. */
        public static final int DEFAULT_MAX_ABOVE = 2000;

        public Settings {
            if (startupTrials < 0 || candidates < 1 || !(priorWeight > 0) || maxAbove < 0 || !(gamma > 0 && gamma < 1)) {
                throw new IllegalArgumentException("TPE settings out of range: startupTrials " + startupTrials
                        + " (>= 0), candidates " + candidates + " (>= 1), priorWeight " + priorWeight + " (> 0), "
                        + "maxAbove " + maxAbove + " (>= 0), gamma " + gamma + " (in (0, 1))");
            }
        }

        /** Optuna's defaults (10 startup trials, 24 candidates, prior weight 1) with "above" bounded at 2,000. */
        public static Settings defaults() {
            return new Settings(10, 24, 1.0, false, DEFAULT_MAX_ABOVE, 0.1, false);
        }

        /** Optuna's defaults with no bound: exactly Optuna's proposals at any history length, at O(n) cost. */
        public static Settings optuna() {
            return new Settings(10, 24, 1.0, false, 0, 0.1, false);
        }

        public Settings withConstantLiar(boolean liar) {
            return new Settings(startupTrials, candidates, priorWeight, liar, maxAbove, gamma, multivariate);
        }

        public Settings withStartupTrials(int n) {
            return new Settings(n, candidates, priorWeight, constantLiar, maxAbove, gamma, multivariate);
        }

        public Settings withMaxAbove(int cap) {
            return new Settings(startupTrials, candidates, priorWeight, constantLiar, cap, gamma, multivariate);
        }

        public Settings withCandidates(int n) {
            return new Settings(startupTrials, n, priorWeight, constantLiar, maxAbove, gamma, multivariate);
        }

        public Settings withMultivariate(boolean joint) {
            return new Settings(startupTrials, candidates, priorWeight, constantLiar, maxAbove, gamma, joint);
        }

        public Settings withGamma(double share) {
            return new Settings(startupTrials, candidates, priorWeight, constantLiar, maxAbove, share, multivariate);
        }
    }

    private final List<TpeParameter> parameters;
    private final Settings settings;
    private final MersenneTwister rng;

    /**
     * A sampler over {@code space} (settings proposed in the map's order) whose draws start from {@code seed} (any
     * long; equal to numpy's {@code RandomState(seed)} for 0 .. 2^32-1, see {@link MersenneTwister#seedOf}).
     */
    public Tpe(Map<String, Distribution> space, long seed, Settings settings) {
        this.parameters = parameters(space);
        this.settings = settings;
        this.rng = new MersenneTwister(MersenneTwister.seedOf(seed));
    }

    /** The settings of {@code space} in its order, as TPE models them. */
    public static List<TpeParameter> parameters(Map<String, Distribution> space) {
        List<TpeParameter> out = new ArrayList<>();
        space.forEach((k, d) -> out.add(TpeParameter.of(k, d)));
        return List.copyOf(out);
    }

    public List<TpeParameter> parameters() {
        return parameters;
    }

    public Settings settings() {
        return settings;
    }

    /** Optuna's {@code default_gamma}: how many of n observations form "below": gamma of them, rounded up, at most 25. */
    public int gamma(int n) {
        return (int) Math.min(Math.ceil(settings.gamma() * n), 25);
    }

    /**
     * Advances the random stream past {@code proposals} proposals, as if they had been made: a sampler rebuilt after a
     * restart continues the same stream. Each proposal takes a fixed number of doubles whatever the history:
     * {@code 2 * candidates} per setting that is not single-valued (univariate), or {@code candidates} for the
     * components plus {@code candidates} per such setting (multivariate).
     */
    public void skip(long proposals) {
        long free = parameters.stream().filter(p -> !p.single()).count();
        long perProposal = settings.multivariate() ? (free == 0 ? 0 : (long) settings.candidates() * (1 + free))
                : 2L * settings.candidates() * free;
        rng.skipDoubles(proposals * perProposal);
    }

    /** Whether enough trials are complete or pruned for the model (else the caller's startup sampler proposes). */
    public boolean modelled(TpeHistory history) {
        return history.observed() >= settings.startupTrials();
    }

    /**
     * The next point: each setting's value (Double for uniform/loguniform, unrounded; Integer for intrange; the
     * choice's value) by key, in the space's order. Uses the model whatever the history's size (with no observations
     * both models are the prior alone); advances the random stream.
     */
    public Map<String, Object> propose(TpeHistory history) {
        if (!history.parameters().equals(parameters)) {
            throw new IllegalArgumentException("the history is over another search space");
        }
        boolean[] below = splitBelow(history);
        if (settings.multivariate()) {
            return proposeJointly(history, below);
        }
        Map<String, Object> point = new LinkedHashMap<>();
        for (int p = 0; p < parameters.size(); p++) {
            TpeParameter parameter = parameters.get(p);
            if (parameter.single()) {
                point.put(parameter.key(), parameter.onlyValue());
                continue;
            }
            point.put(parameter.key(), parameter.external(proposeOne(history, p, below)));
        }
        return point;
    }

    private double proposeOne(TpeHistory history, int p, boolean[] below) {
        TpeParameter parameter = parameters.get(p);
        int size = history.size();
        double[] lo = new double[size];
        double[] hi = new double[size];
        int nLo = 0;
        int nHi = 0;
        for (int t = 0; t < size; t++) {
            if (!history.included(t, settings.constantLiar())) {
                continue;
            }
            double v = history.value(p, t);
            if (Double.isNaN(v)) {
                continue; // the trial lacks this setting: Optuna masks it out
            }
            if (below[t]) {
                lo[nLo++] = v;
            } else {
                hi[nHi++] = v;
            }
        }
        int from = 0;
        if (settings.maxAbove() > 0 && nHi > settings.maxAbove()) {
            from = nHi - settings.maxAbove(); // deviation: only the most recent part of "above"
        }
        ParzenEstimator l = new ParzenEstimator(parameter, java.util.Arrays.copyOf(lo, nLo), settings.priorWeight());
        ParzenEstimator g = new ParzenEstimator(parameter, java.util.Arrays.copyOfRange(hi, from, nHi),
                settings.priorWeight());
        double[] candidates = l.sample(rng, settings.candidates());
        double[] logL = l.logPdf(candidates);
        double[] logG = g.logPdf(candidates);
        return candidates[argmax(logL, logG)];
    }

    /**
     * Optuna's {@code _sample_relative}: one estimator over the settings that are not single-valued, fitted to the
     * trials that have the first of them (Optuna masks by it), "above" bounded as {@link #proposeOne} bounds it.
     */
    private Map<String, Object> proposeJointly(TpeHistory history, boolean[] below) {
        List<Integer> free = new ArrayList<>();
        for (int p = 0; p < parameters.size(); p++) {
            if (!parameters.get(p).single()) {
                free.add(p);
            }
        }
        Map<String, Object> point = new LinkedHashMap<>();
        if (free.isEmpty()) {
            parameters.forEach(parameter -> point.put(parameter.key(), parameter.onlyValue()));
            return point;
        }
        List<Integer> lo = new ArrayList<>();
        List<Integer> hi = new ArrayList<>();
        for (int t = 0; t < history.size(); t++) {
            if (history.included(t, settings.constantLiar()) && !Double.isNaN(history.value(free.get(0), t))) {
                (below[t] ? lo : hi).add(t);
            }
        }
        if (settings.maxAbove() > 0 && hi.size() > settings.maxAbove()) {
            hi = hi.subList(hi.size() - settings.maxAbove(), hi.size()); // deviation: the most recent part of "above"
        }
        List<TpeParameter> dims = free.stream().map(parameters::get).toList();
        JointParzenEstimator l = new JointParzenEstimator(dims, values(history, free, lo), settings.priorWeight());
        JointParzenEstimator g = new JointParzenEstimator(dims, values(history, free, hi), settings.priorWeight());
        double[][] candidates = l.sample(rng, settings.candidates());
        int best = argmax(l.logPdf(candidates), g.logPdf(candidates));
        for (int p = 0, d = 0; p < parameters.size(); p++) {
            TpeParameter parameter = parameters.get(p);
            boolean drawn = d < free.size() && free.get(d).intValue() == p;
            point.put(parameter.key(), drawn ? parameter.external(candidates[d++][best]) : parameter.onlyValue());
        }
        return point;
    }

    /** {@code [setting][row]}: the internal values of settings {@code free} in trials {@code rows}. */
    private static double[][] values(TpeHistory history, List<Integer> free, List<Integer> rows) {
        double[][] out = new double[free.size()][rows.size()];
        for (int d = 0; d < free.size(); d++) {
            for (int r = 0; r < rows.size(); r++) {
                out[d][r] = history.value(free.get(d), rows.get(r));
            }
        }
        return out;
    }

    /** np.argmax(logL - logG): the first maximum, or the first NaN if there is one. */
    private static int argmax(double[] logL, double[] logG) {
        int best = 0;
        double bestScore = Double.NaN;
        for (int i = 0; i < logL.length; i++) {
            double s = logL[i] - logG[i];
            if (Double.isNaN(s)) {
                return i;
            }
            if (i == 0 || s > bestScore) {
                best = i;
                bestScore = s;
            }
        }
        return best;
    }

    /**
     * Marks the {@code gamma(n)} best observations (n = complete + pruned) in Optuna's stable rank order; running
     * trials rank last and so are never below.
     */
    private boolean[] splitBelow(TpeHistory history) {
        int size = history.size();
        int n = history.observed();
        int nBelow = gamma(n);
        int[] best = new int[nBelow]; // sorted by rank, best first
        int kept = 0;
        for (int t = 0; t < size && nBelow > 0; t++) {
            if (!history.included(t, settings.constantLiar())) {
                continue;
            }
            if (kept == nBelow && history.compare(t, best[kept - 1]) >= 0) {
                continue;
            }
            int at = kept == nBelow ? kept - 1 : kept++;
            while (at > 0 && history.compare(t, best[at - 1]) < 0) {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = t;
        }
        boolean[] below = new boolean[size];
        for (int i = 0; i < kept; i++) {
            below[best[i]] = true;
        }
        return below;
    }
}
