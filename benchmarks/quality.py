"""Pair precision / recall / F1 of a default scan on labelled folders (groups.json next to
images/), for hashes only and for hashes + embeddings.

    python benchmarks/quality.py ../shared/datasets/debian_augly_dev \
        ../shared/datasets/photos_augly_dev2
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from dedup_gui.engine.evaluation.metrics import pair_scores
from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.store.cache import Cache


def evaluate(folder: Path, embeddings: bool) -> str:
    images = (folder / "images").resolve()
    truth = json.loads((folder / "groups.json").read_text())
    started = time.perf_counter()
    result = run_scan(ScanParams(roots=(str(images),), embeddings=embeddings), Cache(None))
    seconds = time.perf_counter() - started
    found = [[str(Path(f.path).relative_to(images)) for f in g.files] for g in result.groups]
    s = pair_scores(found, truth)
    mode = "hashes + embeddings" if embeddings else "hashes only (pHash ≤ 10)"
    return (f"| {folder.name} | {mode} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | "
            f"{len(result.groups)} | {seconds:.1f} s |")


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    print("| set | mode | precision | recall | F1 | groups | cold scan |")
    print("|---|---|---|---|---|---|---|")
    for name in argv:
        for embeddings in (False, True):
            print(evaluate(Path(name), embeddings), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
