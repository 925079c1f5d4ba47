#!/usr/bin/python3
"""Loss and kNN per epoch of augsweep's trials beside reference.py's runs of the same recipe, one PNG.

  curves.py --epochs docs/results/cpu-paper-v2/epochs.csv --trials 'moco-abcd-s1-seed*' \\
      --reference docs/results/moco-peer/abcd-seed0.json ... --out docs/results/moco-peer/abcd.png

--trials takes globs over trial ids; each --reference file is the JSON line reference.py prints at its end;
--last-epoch N draws epochs 1..N only.
"""
import argparse
import csv
import fnmatch
import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", required=True)
    p.add_argument("--trials", nargs="+", required=True)
    p.add_argument("--last-epoch", type=int, default=10 ** 6)
    p.add_argument("--reference", nargs="+", required=True)
    p.add_argument("--title", default="")
    p.add_argument("--out", required=True)
    a = p.parse_args()
    ours = {}
    with open(a.epochs) as f:
        for r in csv.DictReader(f):
            if any(fnmatch.fnmatch(r["trial_id"], g) for g in a.trials) and 0 < int(r["epoch"]) <= a.last_epoch:
                ours.setdefault(r["trial_id"], []).append((int(r["epoch"]), float(r["loss"]),
                                                           float(r["knn_top1"]) if r["knn_top1"] else None))
    fig, (loss, knn) = plt.subplots(1, 2, figsize=(11, 4.2))
    for trial, rows in sorted(ours.items()):
        rows.sort()
        seed = trial.split("-seed")[1].split("-")[0]
        loss.plot([r[0] for r in rows], [r[1] for r in rows], color="tab:blue", alpha=0.6, lw=1)
        knn.plot([r[0] for r in rows if r[2] is not None], [r[2] for r in rows if r[2] is not None],
                 color="tab:blue", alpha=0.6, lw=1)
        loss.annotate("augsweep seed " + seed, (rows[-1][0], rows[-1][1]), fontsize=7, color="tab:blue")
    for path in a.reference:
        with open(path) as f:
            run = json.loads(f.read().strip().splitlines()[-1])
        run["per_epoch"] = [h for h in run["per_epoch"] if h["epoch"] <= a.last_epoch]
        e = [h["epoch"] for h in run["per_epoch"]]
        loss.plot(e, [h["loss"] for h in run["per_epoch"]], color="tab:orange", lw=1.6)
        knn.plot(e, [h["knn"] for h in run["per_epoch"]], color="tab:orange", lw=1.6)
        loss.annotate("PyTorch seed %d" % run["seed"], (e[-1], run["per_epoch"][-1]["loss"]), fontsize=7,
                      color="tab:orange")
    loss.set(xlabel="epoch", ylabel="training loss (mean over the epoch)")
    knn.set(xlabel="epoch", ylabel="kNN top-1 (%)")
    fig.suptitle(a.title + " (blue: augsweep, orange: PyTorch reference.py)", fontsize=10)
    fig.tight_layout()
    fig.savefig(a.out, dpi=110)


if __name__ == "__main__":
    main()
