#!/usr/bin/python3
"""A faithful PyTorch re-implementation of the paper's SimCLR and MoCo recipes at CPU scale, to compare augsweep's kNN
and loss curves with:
the paper's stack (Debian's python3-torch, python3-torchvision: PIL views as lightly 1.0.8's collate makes them,
torch.optim.SGD, CosineAnnealingLR stepped per epoch, the weighted kNN of lightly's benchmarks) on the same data
(the official CIFAR-10 binary archive, first N images of each split) and the same scale options as
`augsweep train`. Prints one line per epoch and a JSON line at the end.

  reference.py --data ../shared/data/cifar-10-binary.tar.gz --augs abcde --seed 0 --width 0.25 \\
      --train-limit 5000 --test-limit 2000 --epochs 10 --batch 256 --lr 0.06 --threads 2
  reference.py --method simsiam --lr 0.05 ...   SimSiam, its 2048-wide projector and 512-wide predictor
  reference.py --method moco --lr 0.08 ...   MoCo as lightly 1.0.8's (parity.py's modules: SplitBatchNorm with 8
      splits, key encoder of momentum 0.99, queue of 4,096, temperature 0.1, batch shuffle, symmetric loss)
"""
import argparse
import json
import sys
import tarfile
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision.transforms as T
from PIL import Image, ImageFilter

from peer import nt_xent, resnet18

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "test" / "python"))
import parity  # noqa: E402  (the paper's MoCo modules, as the one-step parity test checks them)

MEAN, STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)


def cifar10(archive, train_limit, test_limit):
    """The official binary layout: 1 label byte + 3,072 pixel bytes (R, G, B planes) per record."""
    splits = {"train": [], "test": []}
    with tarfile.open(archive, "r:gz") as tar:
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            name = member.name.rsplit("/", 1)[-1]
            if name.startswith("data_batch_") or name == "test_batch.bin":
                raw = np.frombuffer(tar.extractfile(member).read(), dtype=np.uint8).reshape(-1, 3073)
                splits["test" if name == "test_batch.bin" else "train"].append(raw)
    out = []
    for split, limit in (("train", train_limit), ("test", test_limit)):
        raw = np.concatenate(splits[split])[:limit]
        out.append((raw[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1).copy(), raw[:, 0].astype(np.int64)))
    return out


class PilGaussianBlur:
    """lightly 1.0.8's GaussianBlur at 32 px: with probability p, PIL's GaussianBlur with radius 1."""

    def __init__(self, p):
        self.p = p

    def __call__(self, img):
        return img.filter(ImageFilter.GaussianBlur(radius=1)) if np.random.random_sample() < self.p else img


def views(augs):
    """lightly's ImageCollateFunction order: crop, flip, jitter, grayscale, blur, to tensor, normalise."""
    return T.Compose([
        T.RandomResizedCrop(32, scale=(0.08 if "a" in augs else 1.0, 1.0)),
        T.RandomHorizontalFlip(0.5 if "e" in augs else 0.0),
        T.RandomApply([T.ColorJitter(0.4, 0.4, 0.4, 0.1)], p=0.8 if "d" in augs else 0.0),
        T.RandomGrayscale(0.2 if "c" in augs else 0.0),
        PilGaussianBlur(0.5 if "b" in augs else 0.0),
        T.ToTensor(), T.Normalize(MEAN, STD)])


def features(backbone, images):
    backbone.eval()
    with torch.no_grad():
        x = (torch.from_numpy(images).permute(0, 3, 1, 2).float() / 255 - torch.tensor(MEAN).view(1, 3, 1, 1)) \
            / torch.tensor(STD).view(1, 3, 1, 1)
        return F.normalize(torch.cat([backbone(x[i:i + 500]) for i in range(0, len(x), 500)]), dim=1)


def knn(backbone, train, test, k=200, t=0.1, classes=10):
    bank, queries = features(backbone, train[0]), features(backbone, test[0])
    labels = torch.from_numpy(train[1])
    sim, idx = (queries @ bank.T).topk(k=min(k, len(bank)), dim=-1)
    weights = (sim / t).exp()
    scores = torch.zeros(len(queries), classes).scatter_add_(1, labels[idx], weights)
    return (scores.argmax(1).numpy() == test[1]).mean()


class PaperMethod:
    """MoCo or SimSiam as the paper's code runs them, from the parity test's reference (parity.py's networks and
    step_loss): MoCo with SplitBatchNorm of 8 splits, a key encoder started as a copy of the query encoder and
    updated by momentum 0.99 (parameters only), a queue of 4,096 random unit vectors, temperature 0.1, a fresh key
    shuffle per loss term; SimSiam with its 2048-wide projector and 512-wide predictor."""
    PARAMS = {"moco": {"projection_dim": 128, "momentum": 0.99, "temperature": 0.1},
              "simsiam": {"hidden_dim": 2048, "predictor_dim": 512}}

    def __init__(self, method, width, queue=4096):
        self.method, self.params = method, self.PARAMS[method]
        self.blocks = parity.method_blocks(method, width, 8, self.params)
        self.backbone = self.blocks["backbone"]
        self.bank, self.state = None, {}
        if method == "moco":
            for query, key in (("backbone", "key_backbone"), ("head", "key_head")):
                self.blocks[key].load_state_dict(self.blocks[query].state_dict())
                for p in self.blocks[key].parameters():
                    p.requires_grad = False
            self.bank = F.normalize(torch.randn(128, queue), dim=0)
            self.state["queue_pointer"] = 0

    def parameters(self):
        return [p for name, b in self.blocks.items() if not name.startswith("key_") for p in b.parameters()]

    def train(self):
        for module in self.blocks.values():
            module.train()

    def loss(self, x0, x1):
        return parity.step_loss(self.method, self.blocks, self.params, x0, x1, forward,
                                lambda call, n: torch.randperm(n), self.bank, self.state)


def forward(x, *modules):
    for module in modules:
        x = module(x)
    return x


class SimClr:
    def __init__(self, width):
        self.backbone, f = resnet18(width)
        self.head = nn.Sequential(nn.Linear(f, f), nn.ReLU(), nn.Linear(f, 128))

    def parameters(self):
        return list(self.backbone.parameters()) + list(self.head.parameters())

    def train(self):
        self.backbone.train()
        self.head.train()

    def loss(self, x0, x1):
        return nt_xent(self.head(self.backbone(x0)), self.head(self.backbone(x1)))


def main():
    p = argparse.ArgumentParser()
    for name, kind, default in (("data", str, "../shared/data/cifar-10-binary.tar.gz"), ("augs", str, "abcde"),
                                ("seed", int, 0), ("width", float, 0.25), ("train-limit", int, 5000),
                                ("test-limit", int, 2000), ("epochs", int, 10), ("batch", int, 256),
                                ("lr", float, 0.06), ("threads", int, 2), ("method", str, "simclr"),
                                ("stop-after", int, 0)):
        p.add_argument("--" + name, type=kind, default=default)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    train, test = cifar10(a.data, a.train_limit, a.test_limit)
    model = SimClr(a.width) if a.method == "simclr" else PaperMethod(a.method, a.width)
    opt = torch.optim.SGD(model.parameters(), lr=a.lr, momentum=0.9, weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, a.epochs)
    transform = views(a.augs)
    pil = [Image.fromarray(img, "RGB") for img in train[0]]
    history = []
    for epoch in range(a.stop_after or a.epochs):  # --stop-after N: the first N epochs of the schedule
        model.train()
        t0 = time.time()
        order = torch.randperm(len(pil)).tolist()
        losses = []
        for s in range(len(order) // a.batch):  # drop_last
            batch = [pil[i] for i in order[s * a.batch:(s + 1) * a.batch]]
            x0 = torch.stack([transform(img) for img in batch])
            x1 = torch.stack([transform(img) for img in batch])
            loss = model.loss(x0, x1)
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        sched.step()
        acc = knn(model.backbone, train, test)
        history.append({"epoch": epoch + 1, "loss": float(np.mean(losses)), "knn": 100 * float(acc)})
        print("epoch %3d/%d  loss %.4f  knn %.2f%%  %.0fs" % (epoch + 1, a.epochs, np.mean(losses), 100 * acc,
                                                            time.time() - t0), flush=True)
    best = max(history, key=lambda h: h["knn"])
    print(json.dumps({"method": a.method, "augs": a.augs, "seed": a.seed, "knn_top1_best": best["knn"],
                      "best_epoch": best["epoch"],
                      "knn_top1_final": history[-1]["knn"], "torch": torch.__version__, "per_epoch": history}))


if __name__ == "__main__":
    main()
