"""Time File ▸ Save results / Open results on a large synthetic review: N groups of 2-4 files
with marks and decisions, written as format-3 JSON and read back into engine objects (the part
of Open results that does not depend on the disk: the re-check stats each file, the keeper
proposal is the scan's own). Reports seconds per step and the file size.

    .venv/bin/python benchmarks/bench_results_file.py --groups 5000 50000
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from dedup_gui.engine.export.results import Keepers, Review, write_json
from dedup_gui.engine.export.results_read import load_results
from dedup_gui.engine.types import Group, GroupFile, Pair, ScanResult, ScanStats


def synthetic(groups: int, seed: int = 1) -> tuple[ScanResult, Keepers, Review]:
    rng = random.Random(seed)
    made, marks = [], []
    for g in range(groups):
        files = tuple(GroupFile(f"/photos/{g % 97}/IMG_{g:06d}_{i}.jpg", rng.randrange(10**6),
                                rng.randrange(10**18), 4000, 3000, "JPEG")
                      for i in range(rng.randint(2, 4)))
        pairs = tuple(Pair(files[0].path, f.path, f"phash distance {i}", i)
                      for i, f in enumerate(files[1:], start=1))
        made.append(Group(files, pairs))
        marks.append({f.path for f in files[1:]})
    result = ScanResult(tuple(made), (), ScanStats(files=sum(len(g.files) for g in made)))
    review = Review(frozenset(range(0, groups, 10)), frozenset(range(0, groups, 3)),
                    frozenset(g.files[1].path for g in made[::7]))
    return result, Keepers(marks, ["largest file"] * groups), review


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, nargs="+", default=[5000])
    args = parser.parse_args()
    for groups in args.groups:
        result, keepers, review = synthetic(groups)
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "results.json"
            start = time.perf_counter()
            write_json(result, out, {"roots": ["/photos"]}, keepers, review)
            saved_s = time.perf_counter() - start
            start = time.perf_counter()
            saved = load_results(out)
            read_s = time.perf_counter() - start
            assert len(saved.result.groups) == groups and saved.moved == set(review.moved)
            print(f"{groups} groups ({result.stats.files} files): save {saved_s:.2f} s, "
                  f"read {read_s:.2f} s, {out.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
