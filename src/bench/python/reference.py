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


class MoCo:
    """lightly 1.0.8's MoCo as the paper's training_step runs it: per loss term a momentum update of the key encoder
    (parameters only), a shuffled key pass put back in query order, the loss against the queue as it is, then that
    term's keys enqueued; the loss is the mean of the two terms."""

    def __init__(self, width, queue=4096, momentum=0.99, temperature=0.1, splits=8):
        self.backbone, f = parity.resnet18(width, splits)
        self.head = parity.mlp(("linear", f, f), ("relu",), ("linear", f, 128))
        self.key = nn.Sequential(*parity.resnet18(width, splits)[:1], parity.mlp(("linear", f, f), ("relu",),
                                                                                 ("linear", f, 128)))
        self.key.load_state_dict(nn.Sequential(self.backbone, self.head).state_dict())
        for p in self.key.parameters():
            p.requires_grad = False
        self.bank = F.normalize(torch.randn(128, queue), dim=0)
        self.ptr, self.m, self.t = 0, momentum, temperature

    def parameters(self):
        return list(self.backbone.parameters()) + list(self.head.parameters())

    def train(self):
        for module in (self.backbone, self.head, self.key):
            module.train()

    def loss(self, x0, x1):
        query = nn.Sequential(self.backbone, self.head)
        terms = []
        for xq, xk in ((x0, x1), (x1, x0)):
            with torch.no_grad():
                for qp, kp in zip(query.parameters(), self.key.parameters()):
                    kp.data = kp.data * self.m + qp.data * (1.0 - self.m)
                shuffle = torch.randperm(len(xk))
                k = self.key(xk[shuffle])[torch.argsort(shuffle)]
            term, k = parity.nt_xent_bank(query(xq), k, self.bank, self.t)
            terms.append(term)
            with torch.no_grad():
                n = len(k)
                if self.ptr + n >= self.bank.shape[1]:
                    self.bank[:, self.ptr:] = k[:self.bank.shape[1] - self.ptr].T
                    self.ptr = 0
                else:
                    self.bank[:, self.ptr:self.ptr + n] = k.T
                    self.ptr += n
        return 0.5 * (terms[0] + terms[1])


class SimSiam:
    """The paper's SimSiam (lightly 1.0.8's heads, parity.py's modules): projector 2048-2048 with batch norm,
    predictor 512 wide, loss -1/2 (cos(p0, sg z1) + cos(p1, sg z0))."""

    def __init__(self, width, hidden=2048, predictor=512):
        self.backbone, f = resnet18(width)
        self.projector = parity.mlp(("linear", f, hidden), ("bn", hidden), ("relu",), ("linear", hidden, hidden),
                                    ("bn", hidden))
        self.predictor = parity.mlp(("linear", hidden, predictor), ("bn", predictor), ("relu",),
                                    ("linear", predictor, hidden))

    def parameters(self):
        return [p for m in (self.backbone, self.projector, self.predictor) for p in m.parameters()]

    def train(self):
        for m in (self.backbone, self.projector, self.predictor):
            m.train()

    def loss(self, x0, x1):
        z0, z1 = self.projector(self.backbone(x0)), self.projector(self.backbone(x1))
        p0, p1 = self.predictor(z0), self.predictor(z1)
        return -0.5 * (F.cosine_similarity(p0, z1.detach()).mean() + F.cosine_similarity(p1, z0.detach()).mean())


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
    model = {"moco": MoCo, "simsiam": SimSiam, "simclr": SimClr}[a.method](a.width)
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
