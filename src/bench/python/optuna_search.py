#!/usr/bin/python3
"""The search benchmark's peer: Optuna 3.1's TPESampler(constant_liar=True, seed=SEED) on the synthetic functions of
dev.augsweep.bench.search.Objectives, SLOTS trials in flight (ask until SLOTS run, tell the oldest, repeat), the
same schedule as SearchBenchmark.java. Prints one JSON line per seed: the simple regret after each trial (the best
noiseless value among the first k trials less the function's minimum).
Usage: optuna_search.py FUNCTION FIRST_SEED SEEDS TRIALS SLOTS [EPOCHS PRUNER CURVES]

With EPOCHS, PRUNER (none or halving) and CURVES (crossing or same-shape), each trial is a simulated training run as
ObjectiveCurve.java draws it (kNN from 10 to 80 - 10 f over EPOCHS epochs, f's noise drawn per epoch; where crossing,
a higher lr rises sooner), reported every
epoch; halving is Optuna's SuccessiveHalvingPruner(min_resource=3, reduction_factor=3), rungs at 3, 9, 27 as the
driver benchmark's ASHA. Then each line also has the epochs trained, and regret counts trials that completed."""
import collections, json, math, sys, warnings
import numpy as np
import optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.filterwarnings("ignore")
NAME, FIRST, SEEDS, TRIALS, SLOTS = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
EPOCHS, PRUNER, CROSSING = (int(sys.argv[6]), sys.argv[7], sys.argv[8] == "crossing") if len(sys.argv) > 6 \
    else (0, None, False)

def branin(t):
    x1, x2 = t.suggest_float("x1", -5, 10), t.suggest_float("x2", 0, 15)
    b, c, r = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 1 / (8 * math.pi)
    return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - r) * math.cos(x1) + 10, 0.397887357729738

ALPHA = [1.0, 1.2, 3.0, 3.2]
A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
     [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]

def hartmann6(t):
    x = [t.suggest_float("x%d" % i, 0, 1) for i in range(1, 7)]
    return -sum(ALPHA[i] * math.exp(-sum(A[i][j] * (x[j] - P[i][j]) ** 2 for j in range(6))) for i in range(4)), \
        -3.32236801141551

def lr_strength(t):
    lr, s = t.suggest_float("lr", 1e-4, 1, log=True), t.suggest_float("strength", 0.1, 1)
    return (math.log10(lr) + 2) ** 2 + 2 * (s - 0.6) ** 2, 0.0

def mixed(t):
    x, n, c = t.suggest_float("x", -5, 5), t.suggest_int("n", 1, 10), t.suggest_categorical("c", ["a", "b", "c"])
    return (x - 1) ** 2 + 0.1 * (n - 7) ** 2 + {"a": 1.0, "b": 0.0, "c": 2.0}[c], 0.0

F = {"branin": branin, "hartmann6": hartmann6, "lr-strength": lr_strength, "mixed": mixed}[NAME]

def noisy(value, noise):
    return value + (0.05 * noise.standard_normal() if NAME == "lr-strength" else 0.0)

def search(seed):
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed, constant_liar=True))
    flight, asked, best, regret = collections.deque(), 0, math.inf, []
    noise = np.random.default_rng(seed)
    while asked < TRIALS or flight:
        while len(flight) < SLOTS and asked < TRIALS:
            t = study.ask()
            value, minimum = F(t)
            best = min(best, value)
            regret.append(best - minimum)
            flight.append((t, value))
            asked += 1
        t, value = flight.popleft()
        study.tell(t, noisy(value, noise))
    return {"seed": seed, "regret": regret}

def knn(lr, y, epoch):
    rate = 3 * (lr / 0.01) ** 0.25 if CROSSING and lr else 3
    return 10 + (70 - 10 * y) * (1 - math.exp(-rate * epoch / EPOCHS)) / (1 - math.exp(-rate))

def curves(seed):
    pruner = optuna.pruners.SuccessiveHalvingPruner(min_resource=3, reduction_factor=3, min_early_stopping_rate=0) \
        if PRUNER == "halving" else optuna.pruners.NopPruner()
    study = optuna.create_study(direction="maximize", pruner=pruner,
                                sampler=optuna.samplers.TPESampler(seed=seed, constant_liar=True))
    flight, values, completed, epochs = collections.deque(), [], [], 0
    noise = np.random.default_rng(seed)
    while len(values) < TRIALS or flight:
        while len(flight) < SLOTS and len(values) < TRIALS:
            t = study.ask()
            value, minimum = F(t)
            flight.append((t, len(values), t.params.get("lr")))
            values.append(value)
            completed.append(False)
        t, i, lr = flight.popleft()
        for epoch in range(1, EPOCHS + 1):
            t.report(knn(lr, noisy(values[i], noise), epoch), epoch)
            if epoch < EPOCHS and t.should_prune():
                study.tell(t, state=optuna.trial.TrialState.PRUNED)
                break
        else:
            study.tell(t, knn(lr, noisy(values[i], noise), EPOCHS))
            completed[i] = True
        epochs += epoch
    best, regret = math.inf, []
    for value, done in zip(values, completed):
        best = min(best, value) if done else best
        regret.append(best - minimum)
    return {"seed": seed, "regret": regret, "epochs": epochs}

for seed in range(FIRST, FIRST + SEEDS):
    print(json.dumps(curves(seed) if EPOCHS else search(seed)))
