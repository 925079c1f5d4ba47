#!/usr/bin/python3
"""The peer for `augsweep bench`: the paper's own stack (PyTorch + torchvision, Debian's python3-torch and
python3-torchvision) running the same CIFAR ResNet-18 (width multiplier, no ReLU after the stem BN), SimCLR head,
NT-Xent loss, SGD step, batch and thread count; and torchvision's (a)-(e) view pipeline on one thread.
Each run measures one thing (--measure), so that augsweep bench can interleave the peer's runs with its own on a
machine whose speed drifts; prints one JSON object with the seconds of every measured repetition."""
import argparse, json, time
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
import torchvision.transforms as T
from PIL import Image


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False); self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False); self.b2 = nn.BatchNorm2d(cout)
        self.short = nn.Sequential()
        if stride != 1 or cin != cout:
            self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        return F.relu(self.b2(self.c2(F.relu(self.b1(self.c1(x))))) + self.short(x))


def resnet18(width):
    ch = [max(1, round(c * width)) for c in (64, 128, 256, 512)]
    layers, cin = [nn.Conv2d(3, ch[0], 3, 1, 1, bias=False), nn.BatchNorm2d(ch[0])], ch[0]
    for i, c in enumerate(ch):
        for b in range(2):
            layers.append(Block(cin, c, 2 if i > 0 and b == 0 else 1)); cin = c
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
    return nn.Sequential(*layers), cin


def nt_xent(z0, z1, t=0.5):
    z = F.normalize(torch.cat([z0, z1]), dim=1)
    n = z0.shape[0]
    sim = z @ z.t() / t - torch.eye(2 * n) * 1e9
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(sim, target)


def train_step(width, batch, reps, warmup, channels_last=False, bf16=False):
    """channels_last=False is the paper's code as written; True gives PyTorch the layout augsweep trains in.
    bf16: the networks under torch.autocast("cpu", torch.bfloat16), the loss in fp32, as augsweep's precision=bf16."""
    torch.manual_seed(0)
    backbone, f = resnet18(width)
    head = nn.Sequential(nn.Linear(f, f), nn.ReLU(), nn.Linear(f, 128))
    params = list(backbone.parameters()) + list(head.parameters())
    opt = torch.optim.SGD(params, lr=0.06, momentum=0.9, weight_decay=5e-4)
    x0, x1 = torch.randn(batch, 3, 32, 32), torch.randn(batch, 3, 32, 32)
    if channels_last:
        backbone = backbone.to(memory_format=torch.channels_last)
        x0, x1 = (x.contiguous(memory_format=torch.channels_last) for x in (x0, x1))
    times = []
    for i in range(warmup + reps):
        start = time.perf_counter()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            z0, z1 = head(backbone(x0)), head(backbone(x1))
        loss = nt_xent(z0.float(), z1.float())
        opt.zero_grad(); loss.backward(); opt.step()
        if i >= warmup:
            times.append(time.perf_counter() - start)
    return times


def augment(views, reps):
    torch.set_num_threads(1)
    pipeline = T.Compose([
        T.RandomResizedCrop(32, scale=(0.08, 1.0)), T.RandomHorizontalFlip(),
        T.RandomApply([T.ColorJitter(0.4, 0.4, 0.4, 0.1)], p=0.8), T.RandomGrayscale(0.2),
        T.RandomApply([T.GaussianBlur(7, sigma=1.0)], p=0.5), T.ToTensor(),
        T.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))])
    rng = np.random.default_rng(0)
    images = [Image.fromarray(rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)) for _ in range(256)]
    for img in images[:50]:
        pipeline(img)
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        for i in range(views):
            pipeline(images[i % len(images)])
        times.append(time.perf_counter() - start)
    return times


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--measure", choices=["train", "augment"], required=True)
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--width", type=float, default=1.0)
    p.add_argument("--channels-last", action="store_true")
    p.add_argument("--bf16", action="store_true")
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--views", type=int, default=4000)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    if a.measure == "train":
        seconds = train_step(a.width, a.batch, a.reps, a.warmup, a.channels_last, a.bf16)
    else:
        seconds = augment(a.views, a.reps)
    print(json.dumps({"torch": torch.__version__, "seconds": seconds}))
