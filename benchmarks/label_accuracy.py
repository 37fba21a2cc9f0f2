"""How right the "overlay (text, emoji, sticker)" label is, on every labelled set with a manifest:
precision (of the files labelled, those whose manifest says text or a sticker was pasted on
them), where the wrong ones are (never on a kept original), and recall by edit kind.

    PYTHONPATH=. .venv/bin/python benchmarks/label_accuracy.py [SET_DIR ...] [--cache DIR]

A SET_DIR holds images/ and manifest.json. Pasted content per manifest: AugLy's overlay_text and
overlay_emoji transforms (../shared/datasets/*_augly_*), make_eval_set.py's caption edits drawn
on the photo (style "overlay"; the "band" style is a meme). The labels are read as the app shows
them: relabelled against the proposed keeper (proposals_for). Target (issue 16): right >= 90 %
of the times it is given, on every set. Defaults: the two dev sets, /work/data/{bursts,
eval_plain,eval_scenes} when present.
"""

from __future__ import annotations

import argparse
import collections
import json
import tempfile
import time
from pathlib import Path

from dedup_gui.engine.actions.proposals import proposals_for
from dedup_gui.engine.actions.provenance_overlay import OVERLAY
from dedup_gui.engine.evaluation.run import truth_root
from dedup_gui.engine.evaluation.truth import relative_to_root
from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.store.cache import Cache

HERE = Path(__file__).resolve().parent.parent
DEFAULT_SETS = (HERE.parent / "shared/datasets/debian_augly_dev",
                HERE.parent / "shared/datasets/photos_augly_dev2", Path("/work/data/bursts"),
                Path("/work/data/eval_plain"), Path("/work/data/eval_scenes"))
PASTED = frozenset({"overlay_text", "overlay_emoji", "caption/overlay"})


def edits_of(entry: dict) -> list[str]:
    """The manifest's edit names for one file, in order ("caption/overlay": text on the photo)."""
    if "transforms" in entry:
        return [t["name"] for t in entry["transforms"]]
    return [e["edit"] + (f"/{e['style']}" if e.get("style") else "")
            for e in entry.get("edits", [])]


def measure(folder: Path, cache_dir: Path) -> None:
    images = folder / "images"
    entries = {e["path"]: e for e in json.loads((folder / "manifest.json").read_text())["files"]}
    cache = Cache(cache_dir / f"{folder.name}.db")
    try:
        started = time.perf_counter()
        params = ScanParams(roots=(str(images),))
        result = run_scan(params, cache)
        proposals, provenance = proposals_for(result.groups, cache)
        took = time.perf_counter() - started
    finally:
        cache.close()
    names = relative_to_root((f.path for g in result.groups for f in g.files),
                             truth_root(params.roots))
    kept = {path for p in proposals for path in p.keep}
    right, wrong, recall = 0, [], collections.defaultdict(lambda: [0, 0])
    for path, name in names.items():
        entry = entries.get(name, {})
        edits = edits_of(entry)
        pasted = bool(PASTED & set(edits))
        labels = provenance[path].labels if path in provenance else ()
        if OVERLAY in labels:
            if pasted:
                right += 1
            else:
                wrong.append((name, entry.get("role", "?"), "+".join(edits) or "none",
                              path in kept))
        if pasted:
            for kind in _kinds(edits):
                recall[kind][0] += OVERLAY in labels
                recall[kind][1] += 1
    given = right + len(wrong)
    print(f"{folder.name}: overlay label given {given}, right {right}"
          + (f" = {right / given:.3f}" if given else "") + f"  (scan+labels {took:.1f} s)")
    for name, role, edits, is_kept in wrong:
        print(f"  WRONG on {role}{' (kept)' if is_kept else ''}: {name} [{edits}]")
    for kind, (found, total) in sorted(recall.items()):
        print(f"  recall {kind}: {found}/{total}")


def _kinds(edits: list[str]) -> set[str]:
    """The recall table's rows an overlay file counts in: all, and each other edit done to it
    ("pasted only" without)."""
    others = {f"with {e}" for e in edits if e not in PASTED}
    return {"all", *others} if others else {"all", "pasted only"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", type=Path)
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir()) / "label_accuracy_cache")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    for folder in args.sets or [s for s in DEFAULT_SETS if (s / "manifest.json").exists()]:
        if (folder / "images").is_dir():
            measure(folder, args.cache)
        else:
            print(f"{folder}: no images/ folder, skipped")


if __name__ == "__main__":
    main()
