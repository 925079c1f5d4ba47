#!/usr/bin/python3
"""Optuna 3.1's MeanDecreaseImpurityImportanceEvaluator (scikit-learn's random forest) over points in a CSV, for
SettingImportanceTest.java to compare with.  Usage: optuna_importance.py FILE.csv SEEDS
The CSV has a column per setting (lr and wd log-uniform, c a choice of words, others uniform) and the score y;
prints one JSON line per seed: the settings' importances."""
import csv, json, sys, warnings
import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution
from optuna.importance import MeanDecreaseImpurityImportanceEvaluator, get_param_importances

optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.simplefilter("ignore")
rows = list(csv.DictReader(open(sys.argv[1])))
names = [k for k in rows[0] if k != "y"]

def distribution(name):
    if name == "c":
        return CategoricalDistribution(sorted({r["c"] for r in rows}))
    values = [float(r[name]) for r in rows]
    return FloatDistribution(min(values), max(values), log=name in ("lr", "wd"))

dists = {n: distribution(n) for n in names}
study = optuna.create_study(direction="maximize")
study.add_trials([optuna.trial.create_trial(params={n: r[n] if n == "c" else float(r[n]) for n in names},
                                            distributions=dists, value=float(r["y"])) for r in rows])
for seed in range(int(sys.argv[2])):
    imp = get_param_importances(study, evaluator=MeanDecreaseImpurityImportanceEvaluator(seed=seed), normalize=True)
    print(json.dumps({n: imp[n] for n in names}))
