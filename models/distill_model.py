"""Distil the 224-px embedding model into the same network run at a smaller input side.

Why: on phone-size photos the model, not the decode, was the scan's bottleneck (5.6 of 12 ms per
image per core at 224×224). A smaller input costs quadratically less, but the ImageNet weights
were tuned for 224 px and lose recall at smaller sides. Here the same Lite0 + GeM + PCA network
(the teacher: weights frozen, run at 224) teaches a copy of itself (the student) to give the
teacher's embedding from a smaller view of the same picture: loss = 1 − cos(student(view at
SIDE), teacher(view at 224)). The student keeps the teacher's embedding space, so the grouping
thresholds set at 224 keep their meaning.

Training photos: the calibration photos plus unrelated Debian-packaged images (models/README.md
names them); never an evaluation set. Views are seeded random crops with the ordinary edits
duplicates get (mirror, grey, colour, blur, JPEG, border), each resized for both nets the way
the app resizes (ImageOps.fit, bilinear). BatchNorm statistics stay frozen (small batches would
only add noise).

    python models/distill_model.py --photos DIR [DIR ...] --calibration DIR --out /tmp/student.pt

The defaults are v3's settings (side 160, 8,000 views, 3 epochs, pair term weight 20). The
output is a state dict for export_model.py --student.
"""

from __future__ import annotations

import argparse
import io
import math
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageEnhance, ImageFilter, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parent))
import export_model as em  # the teacher is built exactly as the export builds it

SEED = 0
SHRINK = 800


def load_photo(path: Path) -> Image.Image:
    """RGB, EXIF-rotated, shrunk to fit SHRINK px; transparency flattened onto mid grey."""
    with Image.open(path) as img:
        img = ImageOps.exif_transpose(img)
        if img.mode in ("RGBA", "LA", "P"):
            rgba = img.convert("RGBA")
            img = Image.new("RGB", rgba.size, (128, 128, 128))
            img.paste(rgba, mask=rgba.getchannel("A"))
        img = img.convert("RGB")
        img.thumbnail((SHRINK, SHRINK), Image.Resampling.BILINEAR)
        return img


def random_view(img: Image.Image, rng: random.Random) -> Image.Image:
    """A seeded random crop with the edits duplicates get (none of them tuned to a dataset)."""
    w, h = img.size
    if rng.random() > 0.2:
        cw = int(w * rng.uniform(0.3, 1.0))
        ch = min(h, max(16, int(cw * (h / w) * rng.uniform(0.6, 1.6))))
        x, y = rng.randint(0, w - cw), rng.randint(0, h - ch)
        img = img.crop((x, y, x + cw, y + ch))
    if rng.random() < 0.5:
        img = ImageOps.mirror(img)
    if rng.random() < 0.1:
        img = ImageOps.grayscale(img).convert("RGB")
    if rng.random() < 0.3:
        for enhance in (ImageEnhance.Brightness, ImageEnhance.Contrast, ImageEnhance.Color):
            img = enhance(img).enhance(rng.uniform(0.7, 1.3))
    if rng.random() < 0.15:
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 2.0)))
    if rng.random() < 0.1:
        border = int(min(img.size) * rng.uniform(0.05, 0.2))
        img = ImageOps.expand(img, border, fill=tuple(rng.randint(0, 255) for _ in range(3)))
    if rng.random() < 0.2:
        buffer = io.BytesIO()
        img.save(buffer, "JPEG", quality=rng.randint(20, 70))
        img = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    return img


def fitted(img: Image.Image, side: int) -> np.ndarray:
    """uint8 CHW at side×side, resized as the app resizes (shorter side, centre crop)."""
    fit = ImageOps.fit(img, (side, side), Image.Resampling.BILINEAR)
    return np.asarray(fit, dtype=np.uint8).transpose(2, 0, 1)


def make_pool(photos: list[Path], count: int, side: int) -> tuple[np.ndarray, np.ndarray]:
    """count (teacher input at 224, student input at side) pairs, uint8.

    Views come two per photo (rows 2k and 2k+1), so every training batch holds duplicate pairs
    as well as unrelated ones, and the similarity term below sees both kinds.
    """
    rng = random.Random(SEED)
    images = [load_photo(p) for p in photos]
    count -= count % 2
    big = np.empty((count, 3, em.SIZE, em.SIZE), np.uint8)
    small = np.empty((count, 3, side, side), np.uint8)
    for i in range(0, count, 2):
        image = images[rng.randrange(len(images))]
        for row in (i, i + 1):
            view = random_view(image, rng)
            big[row], small[row] = fitted(view, em.SIZE), fitted(view, side)
    return big, small


def embed_all(model: em.Embedder, pixels: np.ndarray, batch: int = 64) -> torch.Tensor:
    """Embeddings of uint8 inputs, without gradients, a batch at a time."""
    with torch.no_grad():
        return torch.cat([model(torch.from_numpy(pixels[i:i + batch]).float())
                          for i in range(0, len(pixels), batch)])


def distill_loss(out: torch.Tensor, target: torch.Tensor, gram_weight: float) -> torch.Tensor:
    """1 − cos to the teacher, plus the squared error of the batch's pairwise cosines: the app
    decides on pair cosines, so those are matched directly too."""
    loss = (1 - (out * target).sum(dim=1)).mean()
    if gram_weight:
        loss = loss + gram_weight * (out @ out.T - target @ target.T).pow(2).mean()
    return loss


def train(student: em.Embedder, small: np.ndarray, targets: torch.Tensor, epochs: int,
          batch: int, lr: float, gram_weight: float) -> None:
    """Adam on every weight (BatchNorm statistics frozen), cosine learning-rate decay; batches
    keep each photo's two views together."""
    student.eval()  # frozen BN statistics; gradients still flow to every weight
    params = [p for p in student.parameters() if p.requires_grad]
    optimiser = torch.optim.Adam(params, lr=lr)
    steps = epochs * math.ceil(len(small) / batch)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: 0.5 * (1 + math.cos(math.pi * s / steps)))
    order = torch.Generator().manual_seed(SEED)
    step, started = 0, time.perf_counter()
    for epoch in range(epochs):
        total = 0.0
        pairs = torch.randperm(len(small) // 2, generator=order)
        for chunk in pairs.split(batch // 2):
            idx = torch.stack([2 * chunk, 2 * chunk + 1], dim=1).flatten()
            x = torch.from_numpy(small[idx.numpy()]).float()
            loss = distill_loss(student(x), targets[idx], gram_weight)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item() * len(idx)
            step += 1
        print(f"epoch {epoch + 1}/{epochs}: mean loss {total / len(small):.4f} "
              f"({time.perf_counter() - started:.0f} s, {step} steps)", flush=True)


def mean_cosine(student: em.Embedder, small: np.ndarray, targets: torch.Tensor) -> float:
    return float((embed_all(student, small) * targets).sum(dim=1).mean())


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--photos", type=Path, nargs="+", required=True)
    p.add_argument("--calibration", type=Path, required=True,
                   help="the export's calibration photos (the PCA is fitted on them)")
    p.add_argument("--side", type=int, default=160)
    p.add_argument("--views", type=int, default=8000)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--gram-weight", type=float, default=20.0)
    p.add_argument("--out", type=Path, required=True)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    teacher = em.build_embedder()
    teacher.pca = em.fit_pca(teacher, em.pca_crops(em.list_photos(args.calibration)))
    for p in teacher.parameters():
        p.requires_grad_(False)
    photos = sorted({p for folder in args.photos for p in em.list_photos(folder)})
    big, small = make_pool(photos, args.views, args.side)
    held = len(small) // 20 * 2  # the last tenth is never trained on: the held-out cosine
    targets = embed_all(teacher, big)
    student = em.build_embedder()
    student.pca = teacher.pca
    print(f"{len(photos)} photos, {args.views} views, side {args.side}; before: held-out mean cos "
          f"{mean_cosine(student, small[-held:], targets[-held:]):.4f}", flush=True)
    train(student, small[:-held], targets[:-held], args.epochs, args.batch, args.lr,
          args.gram_weight)
    print(f"after: held-out mean cos {mean_cosine(student, small[-held:], targets[-held:]):.4f}")
    torch.save(student.backbone.state_dict(), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
