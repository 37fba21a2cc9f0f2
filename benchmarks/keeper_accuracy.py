"""Keeper accuracy on every labelled set with a manifest: in found groups holding exactly one
original, the share whose proposed keeper is that original, and what was kept instead.

    PYTHONPATH=. .venv/bin/python benchmarks/keeper_accuracy.py [SET_DIR ...] [--cache DIR]
        [--no-names] [--protect TEXT]

A SET_DIR holds images/ and manifest.json (the roles say which file is the original). Defaults:
../shared/datasets/{debian_augly_dev,photos_augly_dev2}, /work/data/bursts and
/work/data/eval_plain when present. The scan cache lives in --cache (default: a temp folder
kept between runs), so a second run measures the warm path: grouping, facts from the cache,
provenance and proposals. Target (issue 16): >= 0.97 on every set. `--no-names` turns the
weak name and folder evidence (origin_path.py) off, to see what pixels and headers decide alone
(its group assessments go to their own cache file). `--protect WhatsApp` ticks Protected on
every folder whose name holds the text and counts the groups whose original is then proposed
for removal: what protecting a messenger folder may cost (0.6.18 proposed the originals
outside it whenever a copy was inside).
"""

from __future__ import annotations

import argparse
import collections
import os
import tempfile
import time
from pathlib import Path

from dedup_gui.engine.actions import origin_path, provenance
from dedup_gui.engine.actions.proposals import proposals_for
from dedup_gui.engine.evaluation.keeper import KeeperReport, keeper_report
from dedup_gui.engine.evaluation.run import truth_root
from dedup_gui.engine.evaluation.truth import Truth, load_truth, relative_to_root
from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.types import Group

HERE = Path(__file__).resolve().parent.parent
DEFAULT_SETS = (HERE.parent / "shared/datasets/debian_augly_dev",
                HERE.parent / "shared/datasets/photos_augly_dev2",
                Path("/work/data/bursts"), Path("/work/data/eval_plain"))


def names_off() -> None:
    """No name or folder evidence: every path scores 0 and no name reads as a copy."""
    origin_path.path_penalty = lambda _path: 0  # type: ignore
    provenance.is_copy_name = lambda _path: False  # type: ignore


def protected_folders(images: Path, text: str) -> list[str]:
    """Every folder under `images` whose name holds `text` (any case)."""
    return sorted(top for top, _dirs, _files in os.walk(images)
                  if text and text.lower() in os.path.basename(top).lower())


def measure(folder: Path, cache_dir: Path, show: int, suffix: str = "",
            protect: str = "") -> None:
    images = folder / "images"
    truth = load_truth(folder / "manifest.json", images)
    cache = Cache(cache_dir / f"{folder.name}{suffix}.db")
    try:
        started = time.perf_counter()
        params = ScanParams(roots=(str(images),))
        result = run_scan(params, cache)
        scanned = time.perf_counter() - started
        protected = protected_folders(images, protect)
        proposals, provenance = proposals_for(result.groups, cache, protected_folders=protected)
        proposed = time.perf_counter() - started - scanned
    finally:
        cache.close()
    names = relative_to_root((f.path for g in result.groups for f in g.files),
                             truth_root(params.roots))
    report = keeper_report(result.groups, proposals, names, truth.originals, provenance)
    print(f"{folder.name}: keeper is the original in {report.kept}/{report.groups} = "
          f"{report.accuracy:.3f}{_twins(report)}  (scan {scanned:.1f} s, provenance+proposals "
          f"{proposed:.2f} s)")
    if protect:
        lost = sum(1 for g, p in zip(result.groups, proposals, strict=True)
                   if any(names.get(path) in truth.originals for path in p.remove))
        print(f"  {len(protected)} folders protected ({protect}): the original proposed for "
              f"removal in {lost} groups")
    kinds = collections.Counter(label or "?" for _, _, label in report.misses)
    if kinds:
        print("  kept instead, by label: " + ", ".join(f"{k} {n}" for k, n in kinds.items()))
    for original, kept, label in report.misses[:show]:
        print(f"  {original}\n    kept {kept} ({label})")
    _on_truth_groups(result.groups, truth, names, show)


def _twins(report: KeeperReport) -> str:
    return f" ({report.twins} of them a byte-identical copy)" if report.twins else ""


def _on_truth_groups(found: tuple[Group, ...], truth: Truth, names: dict[str, str],
                     show: int) -> None:
    """The same measure on the truth's own groups: the keeper rule alone, whatever the
    grouping merged or split (burst frames of one scene often share a found group)."""
    by_name = {name: path for path, name in names.items()}
    files = {f.path: f for g in found for f in g.files}
    groups = [Group(tuple(files[by_name[n]] for n in g), ()) for g in truth.groups
              if all(n in by_name for n in g)]
    proposals, provenance = proposals_for(groups)
    report = keeper_report(groups, proposals, names, truth.originals, provenance)
    print(f"  on the truth's groups (files found in groups): {report.kept}/{report.groups} = "
          f"{report.accuracy:.3f}")
    for original, kept, label in report.misses[:show]:
        print(f"  {original}\n    kept {kept} ({label})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", type=Path)
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir()) / "keeper_accuracy_cache")
    parser.add_argument("--show", type=int, default=10)
    parser.add_argument("--protect", default="", metavar="TEXT",
                        help="protect every folder whose name holds TEXT; count originals "
                             "proposed for removal")
    parser.add_argument("--no-names", action="store_true",
                        help="ignore names and folders (weak evidence) when judging originals")
    args = parser.parse_args()
    if args.no_names:
        names_off()
    args.cache.mkdir(parents=True, exist_ok=True)
    sets = args.sets or [s for s in DEFAULT_SETS if (s / "manifest.json").exists()]
    for folder in sets:
        if not os.path.isdir(folder / "images"):
            print(f"{folder}: no images/ folder, skipped")
            continue
        measure(folder, args.cache, args.show, "-no-names" if args.no_names else "",
                args.protect)


if __name__ == "__main__":
    main()
