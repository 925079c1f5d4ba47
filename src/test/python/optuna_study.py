#!/usr/bin/python3
"""Runs an Optuna 3.1 TPESampler(seed=SEED) study (direction maximize) over a mixed space and prints each trial as a
JSON line, for TpeVsOptuna.java to replay.  Usage: optuna_study.py MODE SEED [N_TRIALS=60]
MODE: seq    - study.optimize, sequential
      liar   - constant_liar=True, 4 trials in flight via ask/tell (ask until 4 running, tell the oldest, repeat)
      pruned - sequential; trials report intermediate values at steps 1 and 3 and some are pruned (rule below)
      pruned-hard - as pruned with stricter thresholds: few trials complete, so "below" is mostly pruned trials
      multi, multi-liar - as seq and liar with TPESampler(multivariate=True): one estimator over all settings
Space (suggested in this order): x ~ U(-5, 5), lr ~ logU(1e-4, 1e-1), n ~ int[1, 10], c ~ {a, b, c}.
Each trial the model proposed also carries, per setting, the candidates TPE drew and their log l and log g (its
_compare's input), so that a choice between candidates whose scores tie up to rounding can be judged as a tie."""
import collections, json, math, sys, warnings
import optuna
from optuna.samplers import _tpe
optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.filterwarnings("ignore")
MODE, SEED = sys.argv[1], int(sys.argv[2])
N = int(sys.argv[3]) if len(sys.argv) > 3 else 60

def suggest(t):
    return {"x": t.suggest_float("x", -5.0, 5.0), "lr": t.suggest_float("lr", 1e-4, 1e-1, log=True),
            "n": t.suggest_int("n", 1, 10), "c": t.suggest_categorical("c", ["a", "b", "c"])}

def score(p):  # maximised, like kNN accuracy
    return -((p["x"] - 1.0) ** 2 + (math.log10(p["lr"]) + 2.0) ** 2 + 0.1 * (p["n"] - 7) ** 2
             + {"a": 1.0, "b": 0.0, "c": 2.0}[p["c"]])

T1, T3 = (-6.0, -3.0) if MODE == "pruned" else (-4.0, -1.5)

def pruned_objective(t):
    p = suggest(t); s = score(p)
    if p["x"] > 4.6:                      # pruned before any report: key (1, 0.0)
        raise optuna.TrialPruned()
    v1 = s - 1.0; t.report(v1, 1)
    if v1 < T1:                         # pruned at step 1
        raise optuna.TrialPruned()
    v3 = float("nan") if p["n"] == 10 else s - 0.25
    t.report(v3, 3)
    if math.isnan(v3) or v3 < T3:       # pruned at step 3 (NaN ranks worst at its step)
        raise optuna.TrialPruned()
    return s

candidates = collections.defaultdict(dict)  # trial number -> setting -> its candidates and their log l, log g
_independent, _relative = _tpe.sampler.TPESampler.sample_independent, _tpe.sampler.TPESampler._sample_relative
_compare, _current = _tpe.sampler.TPESampler._compare, []

def sample_independent(self, study, trial, name, distribution):
    _current[:] = [trial.number, name]
    return _independent(self, study, trial, name, distribution)

def sample_relative(self, study, trial, search_space):  # multivariate: one comparison for every setting
    _current[:] = [trial.number, None]
    return _relative(self, study, trial, search_space)

def compare(cls, samples, log_l, log_g):
    number, name = _current
    for key in [name] if name else samples:
        candidates[number][key] = {"samples": samples[key].tolist(), "log_l": log_l.tolist(),
                                   "log_g": log_g.tolist()}
    return _compare.__func__(cls, samples, log_l, log_g)

_tpe.sampler.TPESampler.sample_independent = sample_independent
_tpe.sampler.TPESampler._sample_relative = sample_relative
_tpe.sampler.TPESampler._compare = classmethod(compare)
sampler = optuna.samplers.TPESampler(seed=SEED, constant_liar=MODE.endswith("liar"),
                                     multivariate=MODE.startswith("multi"))
study = optuna.create_study(direction="maximize", sampler=sampler)
if MODE in ("seq", "multi"):
    study.optimize(lambda t: score(suggest(t)), n_trials=N)
elif MODE in ("pruned", "pruned-hard"):
    study.optimize(pruned_objective, n_trials=N)
elif MODE in ("liar", "multi-liar"):
    flight, asked = collections.deque(), 0
    while asked < N or flight:
        while len(flight) < 4 and asked < N:
            t = study.ask(); p = suggest(t); flight.append((t, p)); asked += 1
        t, p = flight.popleft(); study.tell(t, score(p))
else:
    raise SystemExit("unknown mode " + MODE)
for t in study.trials:
    print(json.dumps({"number": t.number, "state": t.state.name, "params": t.params, "value": t.value,
                      "intermediate": {str(k): v for k, v in t.intermediate_values.items()},
                      "candidates": candidates.get(t.number, {})}))
