#!/usr/bin/python3
"""augsweep against the paper's own stack (PyTorch + torchvision; Debian's python3-torch, python3-torchvision).

  parity.py step DIR     one training step of a method, done the way the paper's code does it (lightly 1.0.8's
                         losses, MoCo's momentum update, batch shuffle, memory bank and SplitBatchNorm,
                         torch.optim.SGD), from the initial weights and views augsweep wrote to DIR, in float64;
                         writes the loss, the gradients and every array after the step.
  parity.py augment DIR  torchvision's functional transforms, on PIL images as the paper's pipeline runs them,
                         applied to the images in DIR with the parameters augsweep drew; writes the results.

DIR/manifest.json describes the inputs; outputs go to DIR/out/ as little-endian float64 (step) or uint8 (augment).
"""
import json
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision.transforms.functional as TF
from PIL import Image, ImageFilter


class SplitBatchNorm(nn.BatchNorm2d):
    """lightly's SplitBatchNorm (from MoCo's CIFAR demo): per-split running statistics, averaged for evaluation."""

    def __init__(self, num_features, num_splits):
        super().__init__(num_features)
        self.num_splits = num_splits
        self.register_buffer("running_mean", torch.zeros(num_features * num_splits))
        self.register_buffer("running_var", torch.ones(num_features * num_splits))

    def train(self, mode=True):
        if self.training and not mode:  # evaluation uses the splits' statistics averaged
            for stat in (self.running_mean, self.running_var):
                stat.copy_(stat.view(self.num_splits, -1).mean(0).repeat(self.num_splits))
        return super().train(mode)

    def forward(self, x):
        n, c, h, w = x.shape
        if not self.training:
            return F.batch_norm(x, self.running_mean[:c], self.running_var[:c], self.weight, self.bias, False,
                                self.momentum, self.eps)
        return F.batch_norm(x.view(-1, c * self.num_splits, h, w), self.running_mean, self.running_var,
                            self.weight.repeat(self.num_splits), self.bias.repeat(self.num_splits), True,
                            self.momentum, self.eps).view(n, c, h, w)


class BasicBlock(nn.Module):
    """lightly's BasicBlock: conv-bn-relu-conv-bn plus shortcut, then relu."""

    def __init__(self, cin, cout, stride, norm):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = norm(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = norm(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), norm(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


def resnet18(width, splits):
    """The paper's backbone: lightly's ResNetGenerator('resnet-18') children without the classifier, so no ReLU
    after the stem's batch norm, then global average pooling."""
    norm = (lambda c: SplitBatchNorm(c, splits)) if splits > 1 else nn.BatchNorm2d
    ch = [max(1, round(c * width)) for c in (64, 128, 256, 512)]
    layers, cin = [nn.Conv2d(3, ch[0], 3, 1, 1, bias=False), norm(ch[0])], ch[0]
    for i, c in enumerate(ch):
        for b in range(2):
            layers.append(BasicBlock(cin, c, 2 if i > 0 and b == 0 else 1, norm))
            cin = c
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
    return nn.Sequential(*layers), cin


def mlp(*spec):
    """('linear', in, out) | ('bn', dim) | ('relu',) in order."""
    layers = []
    for s in spec:
        layers.append(nn.Linear(s[1], s[2]) if s[0] == "linear" else nn.BatchNorm1d(s[1]) if s[0] == "bn"
                      else nn.ReLU())
    return nn.Sequential(*layers)


def ordered(module):
    """A module's tensors in the order augsweep's blocks list their parameters: per convolution its weight, per
    linear layer weight and bias, per batch norm weight, bias, running mean and running variance."""
    out = []
    for m in module.modules():
        if isinstance(m, nn.Conv2d):
            out.append(m.weight)
        elif isinstance(m, nn.Linear):
            out += [m.weight, m.bias]
        elif isinstance(m, nn.modules.batchnorm._BatchNorm):
            out += [m.weight, m.bias, m.running_mean, m.running_var]
    return out


def split_stat(tensor, value, splits):
    """Our single running statistic, tiled over lightly's per-split copies (and averaged back)."""
    return value.repeat(splits) if tensor.numel() == value.numel() * splits and splits > 1 else value


def nt_xent(out0, out1, t):
    """lightly 1.0.8 NTXentLoss without a memory bank."""
    n = out0.shape[0]
    out0, out1 = F.normalize(out0, dim=1), F.normalize(out1, dim=1)
    output = torch.cat((out0, out1), 0)
    logits = torch.einsum("nc,mc->nm", output, output) / t
    logits = logits[~torch.eye(2 * n, dtype=torch.bool)].view(2 * n, -1)
    labels = torch.arange(n)
    labels = torch.cat([labels + n - 1, labels])
    return F.cross_entropy(logits, labels)


def nt_xent_bank(out0, out1, bank, t):
    """lightly 1.0.8 NTXentLoss with a memory bank: negatives are the bank as it was before out1 is enqueued."""
    out0, out1 = F.normalize(out0, dim=1), F.normalize(out1, dim=1)
    sim_pos = torch.einsum("nc,nc->n", out0, out1).unsqueeze(-1)
    sim_neg = torch.einsum("nc,ck->nk", out0, bank.clone().detach())
    logits = torch.cat([sim_pos, sim_neg], dim=1) / t
    return F.cross_entropy(logits, torch.zeros(logits.shape[0], dtype=torch.long)), out1


def method_blocks(method, width, splits, p):
    """The paper's networks of a method by name (backbone, head or projector and predictor, MoCo's key encoder),
    built in this order; splits: MoCo's SplitBatchNorm."""
    backbone, f = resnet18(width, splits if method == "moco" else 1)
    blocks = {"backbone": backbone}
    if method in ("simclr", "moco"):
        blocks["head"] = mlp(("linear", f, f), ("relu",), ("linear", f, p["projection_dim"]))
    if method == "simsiam":
        h, q = p["hidden_dim"], p["predictor_dim"]
        blocks["projector"] = mlp(("linear", f, h), ("bn", h), ("relu",), ("linear", h, h), ("bn", h))
        blocks["predictor"] = mlp(("linear", h, q), ("bn", q), ("relu",), ("linear", q, h))
    if method == "barlowtwins":
        h = p["projection_dim"]
        blocks["projector"] = mlp(("linear", f, h), ("bn", h), ("relu",), ("linear", h, h), ("bn", h), ("relu",),
                                  ("linear", h, h), ("bn", h))
    if method == "moco":
        blocks["key_backbone"], _ = resnet18(width, splits)
        blocks["key_head"] = mlp(("linear", f, f), ("relu",), ("linear", f, p["projection_dim"]))
    return blocks


def step_loss(method, blocks, p, x0, x1, net, shuffle, bank, out):
    """One step's loss as the paper's code computes it; MoCo's momentum update and queue (bank, out["queue_pointer"])
    advance as its training_step advances them, and shuffle(call, n) gives each key pass's order."""
    backbone = blocks["backbone"]
    if method == "simclr":
        head = blocks["head"]
        return nt_xent(net(x0, backbone, head), net(x1, backbone, head), p["temperature"])
    if method == "simsiam":
        z0, z1 = net(x0, backbone, blocks["projector"]), net(x1, backbone, blocks["projector"])
        p0, p1 = net(z0, blocks["predictor"]), net(z1, blocks["predictor"])
        return -0.5 * (F.cosine_similarity(p0, z1.detach()).mean() + F.cosine_similarity(p1, z0.detach()).mean())
    if method == "barlowtwins":
        z0, z1 = net(x0, backbone, blocks["projector"]), net(x1, backbone, blocks["projector"])
        n, dim = z0.shape
        c = torch.mm(((z0 - z0.mean(0)) / z0.std(0)).T, (z1 - z1.mean(0)) / z1.std(0)) / n
        diff = (c - torch.eye(dim, dtype=c.dtype)).pow(2)
        diff[~torch.eye(dim, dtype=torch.bool)] *= p["lambda"]
        return diff.sum()
    # MoCo as the paper's training_step: the model called twice, views swapped, 0.5 (loss_1 + loss_2)
    ptr = out["queue_pointer"]
    query = [blocks["backbone"], blocks["head"]]
    key = [blocks["key_backbone"], blocks["key_head"]]
    losses = []
    for call, (xq, xk) in enumerate([(x0, x1), (x1, x0)]):
        with torch.no_grad():  # lightly's update_momentum: parameters only, not running statistics
            for qm, km in zip(query, key):
                for qp, kp in zip(qm.parameters(), km.parameters()):
                    kp.data = kp.data * p["momentum"] + qp.data * (1.0 - p["momentum"])
            order = shuffle(call, len(xk))
            k = net(xk[order], key[0], key[1]).detach()
            k = k[torch.argsort(order)]
        l, k_norm = nt_xent_bank(net(xq, query[0], query[1]), k, bank, p["temperature"])
        losses.append(l)
        with torch.no_grad():  # lightly's MemoryBankModule dequeue-and-enqueue
            n = k_norm.shape[0]
            if ptr + n >= bank.shape[1]:
                bank[:, ptr:] = k_norm[:bank.shape[1] - ptr].T
                ptr = 0
            else:
                bank[:, ptr:ptr + n] = k_norm.T
                ptr += n
    out["queue_pointer"] = ptr
    return 0.5 * (losses[0] + losses[1])


def step(d):
    man = json.loads((d / "manifest.json").read_text())
    # fp64 (the default): everything in float64; fp32: fp32 modules; bf16: fp32 modules, each network call under
    # torch.autocast("cpu", torch.bfloat16) with its output back in fp32 and the losses in fp32, as augsweep's.
    bf16 = man.get("precision") == "bf16"
    dtype = torch.float64 if man.get("precision", "fp64") == "fp64" else torch.float32
    read = lambda e: torch.from_numpy(np.fromfile(d / e["file"], dtype="<f8").reshape(e["shape"]).copy()).to(dtype)
    # Several steps (MoCo's state over steps: queue, key shuffle, moving average, SGD's momentum, batch norm's
    # statistics, a changing learning rate), or the one step the manifest describes at its top level.
    steps = man.get("steps") or [{"views": man["views"], "lr": man["lr"], "shuffles": man.get("shuffles")}]

    def net(x, *modules):
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            for module in modules:
                x = module(x)
        return x.float() if bf16 else x

    method, width, splits = man["method"], man["width"], man.get("split_bn", 1)
    p = man["params"]
    blocks = method_blocks(method, width, splits, p)
    for module in blocks.values():
        module.to(dtype).train()
    tensors = {name: ordered(module) for name, module in blocks.items()}
    with torch.no_grad():
        for e in man["arrays"]:
            if e["block"] in tensors:
                t = tensors[e["block"]][e["index"]]
                t.copy_(split_stat(t, read(e), splits).view_as(t))
    trained = [t for name in man["trained_blocks"] for t in tensors[name] if t.requires_grad]
    opt = torch.optim.SGD(trained, lr=steps[0]["lr"], momentum=man["momentum"], weight_decay=man["weight_decay"])
    out = {}
    if method == "moco":
        bank = read(next(e for e in man["arrays"] if e["block"] == "queue")).T.contiguous()  # lightly: (dim, size)
        out["queue_pointer"] = man["queue_pointer"]
    losses = []
    for s in steps:
        x0, x1 = read(s["views"][0]), read(s["views"][1])
        for group in opt.param_groups:
            group["lr"] = s["lr"]
        loss = step_loss(method, blocks, p, x0, x1, net, lambda call, n, s=s: torch.tensor(s["shuffles"][call]),
                         bank if method == "moco" else None, out)
        opt.zero_grad()
        loss.backward()
        grads = [t.grad.clone() for t in trained]
        opt.step()
        losses.append(loss.item())
    if method == "moco":
        out["queue"] = bank.T.contiguous()
    o = d / "out"
    o.mkdir(exist_ok=True)
    result = {"loss": losses[-1], "losses": losses, "grads": [], "arrays": []}
    for i, g in enumerate(grads):
        g.numpy().astype("<f8").tofile(o / f"grad{i}.bin")
        result["grads"].append(f"out/grad{i}.bin")
    for e in man["arrays"]:
        if e["block"] == "queue":
            value = out["queue"]
        else:
            t = tensors[e["block"]][e["index"]].detach()
            value = t.view(splits, -1).mean(0) if t.numel() != np.prod(e["shape"]) else t
        name = f"out/after{len(result['arrays'])}.bin"
        value.numpy().astype("<f8").tofile(d / name)
        result["arrays"].append(name)
    if "queue_pointer" in out:
        result["queue_pointer"] = out["queue_pointer"]
    (d / "out" / "result.json").write_text(json.dumps(result))


def augment(d):
    """Each op on its own, from the original image, as torchvision 0.14 runs it on a PIL image (uint8 after every
    op): resized crop (bilinear), brightness, contrast, saturation, hue, grayscale, and lightly's Gaussian blur."""
    man = json.loads((d / "manifest.json").read_text())
    images = np.fromfile(d / man["images"], dtype=np.uint8).reshape(-1, 32, 32, 3)
    o = d / "out"
    o.mkdir(exist_ok=True)
    for k, ops in enumerate(man["ops"]):
        img = Image.fromarray(images[k], "RGB")
        results = {
            "crop": TF.resized_crop(img, *ops["crop"], [32, 32], TF.InterpolationMode.BILINEAR),
            "brightness": TF.adjust_brightness(img, ops["brightness"]),
            "contrast": TF.adjust_contrast(img, ops["contrast"]),
            "saturation": TF.adjust_saturation(img, ops["saturation"]),
            "hue": TF.adjust_hue(img, ops["hue"]),
            "grayscale": TF.rgb_to_grayscale(img, num_output_channels=3),
            # lightly 1.0.8's GaussianBlur at 32 px: radius int(kernel_size / 2) = 1, PIL's standard deviation
            "blur": img.filter(ImageFilter.GaussianBlur(radius=1)),
        }
        for name, result in results.items():
            np.asarray(result, dtype=np.uint8).tofile(o / f"{name}{k}.bin")


if __name__ == "__main__":
    {"step": step, "augment": augment}[sys.argv[1]](Path(sys.argv[2]))
