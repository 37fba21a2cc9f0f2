"""Sweep the engine's thresholds on labelled folders (images/ + groups.json): print the pair
precision/recall of every setting, save the precision/recall curves as a PNG, report operating
points per folder, and name the setting that favours precision on every folder at once.

    python benchmarks/calibrate.py ../shared/datasets/debian_augly_dev \
        ../shared/datasets/photos_augly_dev2 --check /tmp/dedup_eval_plain /tmp/dedup_eval_set \
        /tmp/dedup_bursts --png docs/calibration.png --json /tmp/calibration.json

/tmp/dedup_bursts is the burst set (benchmarks/make_bursts.py): its false pairs are other shots
of one scene, which the verification stage (engine/grouping/verify.py) must reject whatever
the thresholds; its pixel verdicts are computed once per folder and reused by every setting.

Signals are computed once per folder (and cached, --cache), then only the grouping stage is
re-run per setting (engine/evaluation/run.regroup gives exactly what a scan gives). The positional
folders choose the setting; --check folders are only reported, to show it is not fitted to them.
Rule: among settings with precision ≥ --min-precision on every choosing folder, the one with the
highest worst-folder recall; if none reaches it, the highest worst-folder precision among
settings with recall ≥ --min-recall on every folder (ties: the other score, then nearer the
current defaults). It is a suggestion: the product defaults change only by hand.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from pr_plot import Series, draw_plot

from dedup_gui import paths
from dedup_gui.engine.evaluation.metrics import PairScores, pairs_of, scores_of_pairs
from dedup_gui.engine.evaluation.run import Library, prepare_library, regroup
from dedup_gui.engine.evaluation.truth import Truth, load_truth
from dedup_gui.engine.pipeline import DEFAULT_THRESHOLDS, ScanParams
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.tiers import DEFAULT_TIER_THRESHOLDS, TierThresholds

GRID = {"hash_distance": (6, 8, 10, 12, 14), "confirm_cosine": (0.5, 0.6, 0.7),
        "edited_cosine": tuple(round(0.68 + 0.02 * i, 2) for i in range(10)),
        "group_cosine": (0.5, 0.6, 0.7)}
HASH_ONLY = tuple(range(0, 21, 2))
DEFAULT = asdict(DEFAULT_TIER_THRESHOLDS)


@dataclass
class Folder:
    name: str
    library: Library
    hashes_only: Library
    truth: Truth


@dataclass
class Point:
    setting: dict
    scores: dict[str, PairScores]  # folder name -> scores

    def worst(self, names: list[str]) -> tuple[float, float]:
        return (min(self.scores[n].recall for n in names),
                min(self.scores[n].precision for n in names))


def load_folder(folder: Path, cache: Cache) -> Folder:
    """Signals for a folder: with embeddings from `cache`; hashes-only ones decoded afresh,
    because a hashes-only scan decodes smaller and its hashes can differ by a bit or two from
    the ones an embedding scan cached (so the sweep matches a fresh `scan --no-embeddings`)."""
    images = folder / "images"
    started = time.perf_counter()
    library = prepare_library(ScanParams(roots=(str(images),)), cache)
    hashes = prepare_library(ScanParams(roots=(str(images),), embeddings=False), Cache(None))
    print(f"{folder.name}: {len(library.files)} files, signals in "
          f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    return Folder(folder.name, library, hashes, load_truth(folder / "groups.json", images))


def scan_params(folder: Folder, setting: dict, embeddings: bool = True) -> ScanParams:
    thresholds = TierThresholds(**{**DEFAULT, **setting})
    return ScanParams(roots=(folder.library.root,), threshold=thresholds.hash_distance,
                      embeddings=embeddings, tier_thresholds=thresholds)


def score(folder: Folder, setting: dict, embeddings: bool = True) -> PairScores:
    library = folder.library if embeddings else folder.hashes_only
    groups = regroup(library, scan_params(folder, setting, embeddings))
    names = library.names
    return scores_of_pairs(pairs_of([[names[f.path] for f in g.files] for g in groups]),
                           folder.truth.pairs)


def sweep(folders: list[Folder], settings: list[dict], embeddings: bool = True) -> list[Point]:
    return [Point(s, {f.name: score(f, s, embeddings) for f in folders}) for s in settings]


def grid_settings() -> list[dict]:
    keys = list(GRID)
    return [dict(zip(keys, values, strict=True)) for values in itertools.product(*GRID.values())]


def distance_to_default(setting: dict) -> float:
    return sum(abs(setting[k] - DEFAULT[k]) / (max(GRID[k]) - min(GRID[k])) for k in GRID)


def choose(points: list[Point], names: list[str], min_precision: float,
           min_recall: float) -> tuple[Point | None, str]:
    """The suggested setting and the rule that picked it (see the module docstring)."""
    fine = [p for p in points if p.worst(names)[1] >= min_precision]
    if fine:
        return (max(fine, key=lambda p: (*p.worst(names), -distance_to_default(p.setting))),
                f"highest worst-folder recall at precision ≥ {min_precision} on every folder")
    fine = [p for p in points if p.worst(names)[0] >= min_recall]
    rule = (f"no setting reaches precision {min_precision} on every folder: highest "
            f"worst-folder precision at recall ≥ {min_recall}, then recall")
    return max(fine, key=lambda p: (p.worst(names)[1], p.worst(names)[0],
                                    -distance_to_default(p.setting)), default=None), rule


def operating_points(points: list[Point], name: str) -> dict[str, Point]:
    """Per folder: the best F1, and the highest recall at precision ≥ 0.97 and ≥ 0.99."""
    found = {"best F1": max(points, key=lambda p: (p.scores[name].f1, p.scores[name].precision))}
    for floor in (0.97, 0.99):
        fine = [p for p in points if p.scores[name].precision >= floor]
        found[f"max recall, P≥{floor}"] = max(
            fine, key=lambda p: (p.scores[name].recall, p.scores[name].precision), default=None)
    fine = [p for p in points if p.scores[name].recall >= 0.9]
    found["max precision, R≥0.9"] = max(
        fine, key=lambda p: (p.scores[name].precision, p.scores[name].recall), default=None)
    return found


def describe(setting: dict) -> str:
    short = {"hash_distance": "hash", "confirm_cosine": "confirm", "edited_cosine": "edited",
             "group_cosine": "group"}
    return " ".join(f"{short[k]} {setting[k]}" for k in GRID if k in setting)


def row(label: str, point: Point | None, name: str) -> str:
    if point is None:
        return f"| {name} | {label} | none in the grid | | | |"
    s = point.scores[name]
    return (f"| {name} | {label} | {describe(point.setting)} | {s.precision:.3f} | "
            f"{s.recall:.3f} | {s.f1:.3f} |")


def curve(points: list[Point], name: str) -> list[tuple[float, float]]:
    return [(p.scores[name].recall, p.scores[name].precision) for p in points]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path, help="folders that choose the setting")
    parser.add_argument("--check", nargs="*", type=Path, default=[],
                        help="folders only reported (held out)")
    parser.add_argument("--min-precision", type=float, default=0.97)
    parser.add_argument("--min-recall", type=float, default=0.90)
    parser.add_argument("--cache", type=Path, help="cache database (default: the user cache)")
    parser.add_argument("--png", type=Path, default=Path("calibration.png"))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    cache = Cache(paths.cache_path(args.cache))
    folders = [load_folder(f, cache) for f in [*args.folders, *args.check]]
    choosing = [f.name for f in folders[:len(args.folders)]]
    started = time.perf_counter()
    default = sweep(folders, [{k: DEFAULT[k] for k in GRID}])[0]
    points = sweep(folders, grid_settings())
    edited = sweep(folders, [{"edited_cosine": e} for e in GRID["edited_cosine"]])
    hashes = sweep(folders, [{"hash_distance": d} for d in HASH_ONLY], embeddings=False)
    print(f"{len(points) + len(edited) + len(hashes) + 1} settings × {len(folders)} folders "
          f"regrouped in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    chosen, rule = choose(points, choosing, args.min_precision, args.min_recall)
    print(f"suggested setting ({rule}): "
          f"{describe(chosen.setting) if chosen else 'none'}\n")
    report(folders, default, chosen, points, hashes)
    plot(folders, default, chosen, edited, hashes, args.png)
    if args.json is not None:
        args.json.write_text(json.dumps(
            {"choosing": choosing, "rule": rule, "default": _plain(default),
             "chosen": _plain(chosen) if chosen else None,
             "grid": [_plain(p) for p in points], "hashes_only": [_plain(p) for p in hashes]},
            indent=1))
    return 0


def report(folders: list[Folder], default: Point, chosen: Point | None, points: list[Point],
           hashes: list[Point]) -> None:
    print("| folder | operating point | setting | precision | recall | F1 |")
    print("|---|---|---|---|---|---|")
    for folder in folders:
        print(row("current default", default, folder.name))
        print(row("suggested (all folders)", chosen, folder.name))
        for label, point in operating_points(points, folder.name).items():
            print(row(label, point, folder.name))
    print(f"\nhashes only (pHash; default {DEFAULT_THRESHOLDS['phash']}):")
    print("| threshold | " + " | ".join(f"{f.name} P / R" for f in folders) + " |")
    print("|---|" + "---|" * len(folders))
    for point in hashes:
        cells = [f"{point.scores[f.name].precision:.3f} / {point.scores[f.name].recall:.3f}"
                 for f in folders]
        print(f"| {point.setting['hash_distance']} | " + " | ".join(cells) + " |")


def plot(folders: list[Folder], default: Point, chosen: Point | None, edited: list[Point],
         hashes: list[Point], out: Path) -> None:
    """Two PNGs: the edited-cosine sweep (other thresholds at their defaults) with the default
    and the suggested setting marked, and the hashes-only threshold sweep (OUT-hashes.png)."""
    series, hash_series = [], []
    for folder in folders:
        s = default.scores[folder.name]
        marks = [(s.recall, s.precision, "default")]
        if chosen is not None and chosen.setting != default.setting:
            c = chosen.scores[folder.name]
            marks.append((c.recall, c.precision, "suggested"))
        series.append(Series(folder.name, curve(edited, folder.name), marks))
        hash_series.append(Series(folder.name, curve(hashes, folder.name), dashed=True))
    low, high = GRID["edited_cosine"][0], GRID["edited_cosine"][-1]
    draw_plot(series, f"hashes + embeddings: edited-copy cosine {low} to {high}", out)
    hashes_png = out.with_name(out.stem + "-hashes" + out.suffix)
    draw_plot(hash_series, f"hashes only: pHash distance {HASH_ONLY[0]} to {HASH_ONLY[-1]}",
              hashes_png)
    print(f"\nplots: {out}, {hashes_png}", file=sys.stderr)


def _plain(point: Point) -> dict:
    return {"setting": point.setting,
            "scores": {name: {**asdict(s), "precision": s.precision, "recall": s.recall}
                       for name, s in point.scores.items()}}


if __name__ == "__main__":
    sys.exit(main())
