"""Embedding model: throughput on this machine, and duplicate-pair quality on the dev sets.

    python benchmarks/bench_model.py throughput MODEL.onnx [MODEL.onnx ...]
    python benchmarks/bench_model.py quality MODEL.onnx [MODEL.onnx ...] [--datasets DIR ...]

Needs onnxruntime, Pillow and numpy only (no torch), so it runs on any dev machine.

throughput: model only (random pixels), best and median of several timed batches, because this
shared machine's speed varies from second to second and interference only ever slows it down.

quality: every image decoded as the app does (EXIF orientation, RGB, at least 224 px), fitted to
the model's input side, embedded; every pair's cosine scored against groups.json (same group =
duplicate pair; files in no group are singletons). Both resize modes (squash, shorter side +
centre crop) and two flip tricks are tried.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import threading
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

os.environ["ORT_DISABLE_TELEMETRY"] = "1"  # no device id in the cache folder (embedding.py)
import onnxruntime as ort

SIZE = 224  # for a model whose input side is not fixed in the file; also the least decode side
REPO = Path(__file__).resolve().parents[1]
DATASETS = [REPO.parent / "shared" / "datasets" / name
            for name in ("debian_augly_dev", "photos_augly_dev2")]
THRESHOLDS = (0.80, 0.85, 0.90, 0.95)


def session(model: Path, threads: int, spinning: bool = True, arena: bool = True
            ) -> ort.InferenceSession:
    """A CPU session with the options the throughput table compares (defaults = ORT's)."""
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.enable_cpu_mem_arena = arena
    opts.add_session_config_entry("session.intra_op.allow_spinning", "1" if spinning else "0")
    return ort.InferenceSession(str(model), opts, providers=["CPUExecutionProvider"])


def side_of(sess: ort.InferenceSession) -> int:
    """The square input side the model declares."""
    side = sess.get_inputs()[0].shape[-1]
    return side if isinstance(side, int) else SIZE


def rate(sessions: list[ort.InferenceSession], batch: int, rounds: int = 8) -> tuple[float, float]:
    """(best, median) images/s with one Python thread per session running batches side by side."""
    side = side_of(sessions[0])
    x = np.random.default_rng(0).uniform(0, 255, (batch, 3, side, side)).astype(np.float32)
    for s in sessions:
        s.run(None, {"image": x})
    rates = []
    for _ in range(rounds):
        threads = [threading.Thread(target=s.run, args=(None, {"image": x})) for s in sessions]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        rates.append(batch * len(sessions) / (time.perf_counter() - start))
    return max(rates), statistics.median(rates)


def throughput(models: list[Path]) -> None:
    """Which thread/session layout uses the 2 cores best, per model and batch size."""
    configs = {
        "1 thread": dict(threads=1, workers=1),
        "2 threads": dict(threads=2, workers=1),
        "2 threads, no spinning": dict(threads=2, workers=1, spinning=False),
        "2 threads, no arena": dict(threads=2, workers=1, arena=False),
        "2 sessions × 1 thread": dict(threads=1, workers=2),
    }
    print("| model | session options | batch | best img/s | median img/s |")
    print("|---|---|---|---|---|")
    for model in models:
        for name, c in configs.items():
            opts = {k: v for k, v in c.items() if k != "workers"}
            sessions = [session(model, **opts) for _ in range(c["workers"])]
            for batch in (16, 32):
                best, median = rate(sessions, batch)
                print(f"| {model.name} | {name} | {batch} | {best:.0f} | {median:.0f} |",
                      flush=True)


def decode(path: Path, draft: bool, side: int) -> Image.Image:
    """The loader's steps: optional JPEG draft (DCT-domain downscale), EXIF orientation, RGB."""
    with Image.open(path) as img:
        if draft:
            img.draft("RGB", (side, side))
        return ImageOps.exif_transpose(img).convert("RGB")


def fit(img: Image.Image, mode: str, side: int) -> np.ndarray:
    """side×side CHW float pixels: 'squash' keeps all content, 'crop' keeps the aspect ratio."""
    if mode == "crop":
        img = ImageOps.fit(img, (side, side), Image.Resampling.BILINEAR)
    else:
        img = img.resize((side, side), Image.Resampling.BILINEAR)
    return np.asarray(img, dtype=np.float32).transpose(2, 0, 1)


def load_dataset(root: Path) -> tuple[list[str], np.ndarray, dict[str, dict]]:
    """(relative paths, group id per file (-1-i for singletons), manifest record per path)."""
    groups = json.loads((root / "groups.json").read_text())
    manifest = {f["path"]: f for f in json.loads((root / "manifest.json").read_text())["files"]}
    paths = sorted(manifest)
    group_of = {p: g for g, members in enumerate(groups) for p in members}
    ids = np.array([group_of.get(p, -1 - i) for i, p in enumerate(paths)])
    return paths, ids, manifest


def embed(sess: ort.InferenceSession, x: np.ndarray) -> np.ndarray:
    """Embeddings in batches of 32, so a whole dataset never sits in one ORT allocation."""
    return np.concatenate([sess.run(None, {"image": x[i : i + 32]})[0]
                           for i in range(0, len(x), 32)])


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Mann–Whitney AUC with tied scores sharing their average rank."""
    _, inverse, counts = np.unique(scores, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    ranks = (ends - (counts - 1) / 2)[inverse]
    pos = labels.sum()
    neg = len(labels) - pos
    return float((ranks[labels].sum() - pos * (pos + 1) / 2) / (pos * neg))


def best_f1(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float, float, float]:
    """(threshold, F1, precision, recall) of the cut 'cosine ≥ threshold' with the best F1."""
    order = np.argsort(-scores, kind="stable")
    tp = np.cumsum(labels[order])
    found = np.arange(1, len(order) + 1)
    precision, recall = tp / found, tp / labels.sum()
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    i = int(np.argmax(f1))
    return float(scores[order][i]), float(f1[i]), float(precision[i]), float(recall[i])


def pr_at(scores: np.ndarray, labels: np.ndarray, t: float) -> tuple[float, float]:
    found = scores >= t
    tp = (found & labels).sum()
    return tp / max(found.sum(), 1), tp / labels.sum()


def report(name: str, scores: np.ndarray, labels: np.ndarray) -> None:
    t, f1, p, r = best_f1(scores, labels)
    at = " | ".join("{:.3f}/{:.3f}".format(*pr_at(scores, labels, x)) for x in THRESHOLDS)
    auc = roc_auc(scores, labels)
    print(f"| {name} | {auc:.4f} | {t:.3f} | {f1:.3f} ({p:.3f}/{r:.3f}) | {at} |", flush=True)


def hard_cases(cos: np.ndarray, paths: list[str], manifest: dict[str, dict], ids: np.ndarray
               ) -> None:
    """Cosine of each variant to its original, per transform; and what the false matches are."""
    index = {p: i for i, p in enumerate(paths)}
    by_op: dict[str, list[float]] = defaultdict(list)
    for p, f in manifest.items():
        if f["role"] == "variant":
            for t in f["transforms"]:
                by_op[t["name"]].append(float(cos[index[p], index[f["variant_of"]]]))
    print("| transform | variants | cos < 0.8 | median cos | min cos |\n|---|---|---|---|---|")
    for op, values in sorted(by_op.items(), key=lambda kv: statistics.median(kv[1])):
        below = sum(c < 0.8 for c in values)
        print(f"| {op} | {len(values)} | {below} | {statistics.median(values):.3f} | "
              f"{min(values):.3f} |")
    keys = [manifest[p]["similarity_key"] for p in paths]
    i, j = np.triu_indices(len(paths), k=1)
    false = (cos[i, j] >= 0.8) & (ids[i] != ids[j])
    shot = [any(t["name"] == "overlay_onto_screenshot" for t in manifest[p].get("transforms", []))
            for p in paths]
    false_pairs = list(zip(i[false], j[false], strict=True))
    print(f"non-duplicate pairs with cos ≥ 0.8: {len(false_pairs)}; "
          f"both screenshots: {sum(shot[a] and shot[b] for a, b in false_pairs)}; "
          f"same look-alike series: {sum(keys[a] == keys[b] for a, b in false_pairs)}")


def inputs(root: Path, paths: list[str], draft: bool, side: int) -> dict[str, np.ndarray]:
    """Model inputs for both resize modes; each image is decoded once and then dropped."""
    fitted: dict[str, list[np.ndarray]] = {"squash": [], "crop": []}
    for p in paths:
        img = decode(root / "images" / p, draft, max(SIZE, side))  # as embedding.decode_side
        for mode, arrays in fitted.items():
            arrays.append(fit(img, mode, side))
    return {mode: np.stack(arrays) for mode, arrays in fitted.items()}


def quality(models: list[Path], datasets: list[Path], draft: bool) -> None:
    for root in datasets:
        paths, ids, manifest = load_dataset(root)
        by_side: dict[int, dict[str, np.ndarray]] = {}
        pairs = np.triu_indices(len(paths), k=1)
        labels = ids[pairs[0]] == ids[pairs[1]]
        print(f"\n## {root.name}: {len(paths)} files, {labels.sum()} duplicate pairs of "
              f"{len(labels)}")
        print("| model, resize, flip | ROC-AUC | best-F1 threshold | F1 (P/R) | "
              + " | ".join(f"P/R @{t}" for t in THRESHOLDS) + " |")
        print("|---|---|---|---|" + "---|" * len(THRESHOLDS))
        cosines: dict[str, np.ndarray] = {}
        for model in models:
            sess = session(model, threads=2)
            side = side_of(sess)
            if side not in by_side:
                by_side[side] = inputs(root, paths, draft, side)
            for mode, x in by_side[side].items():
                e, f = embed(sess, x), embed(sess, x[..., ::-1].copy())
                report(f"{model.stem}, {mode}", (e @ e.T)[pairs], labels)
                flip_max = np.maximum(e @ e.T, e @ f.T)
                report(f"{model.stem}, {mode}, max(a·b, a·flip b)",
                       np.maximum(flip_max, flip_max.T)[pairs], labels)
                avg = e + f
                avg /= np.linalg.norm(avg, axis=1, keepdims=True)
                report(f"{model.stem}, {mode}, mean(emb, emb flip)", (avg @ avg.T)[pairs], labels)
                cosines[f"{model.stem}, {mode}"] = e @ e.T
        for name, cos in cosines.items():
            print(f"\nVariant vs its original ({name}, plain cosine):")
            hard_cases(cos, paths, manifest, ids)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("what", choices=["throughput", "quality"])
    p.add_argument("models", type=Path, nargs="+")
    p.add_argument("--datasets", type=Path, nargs="+", default=DATASETS)
    p.add_argument("--draft", action="store_true", help="JPEG draft decode, as the app does")
    args = p.parse_args()
    if args.what == "throughput":
        throughput(args.models)
    else:
        quality(args.models, args.datasets, args.draft)


if __name__ == "__main__":
    main()
