"""What the displacement rule costs in a scan's verification, per pair it checks.

    python benchmarks/bench_displacement.py /tmp/v2/bench/camera [--rounds 2]

The library's signals are computed once (no cache); then its grouping with verification runs
with the rule off and on, alternated `--rounds` times (the machine may be shared: compare
numbers of one run only), each with a fresh decoded-picture cache and verdict memo. Prints
the grouping times, the pairs that reached the rule ("edited copy" pairs without capture
metadata that placement placed) with their verdicts, and the rule's own time per pair.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from dedup_gui.engine.evaluation.run import prepare_library, regroup
from dedup_gui.engine.grouping import refute
from dedup_gui.engine.grouping.picture_cache import PictureCache
from dedup_gui.engine.pipeline import ScanParams
from dedup_gui.engine.store.cache import Cache


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    params = ScanParams(roots=(str(args.folder),), verify=True)
    library = prepare_library(params, Cache(None))
    rule = refute._displacement
    spent: list[float] = []
    notes: Counter[str] = Counter()

    def timed(*call: object) -> object:
        started = time.perf_counter()
        verdict = rule(*call)
        spent.append(time.perf_counter() - started)
        notes[verdict.note or "undecided"] += 1
        return verdict

    refute._displacement = timed
    for _ in range(args.rounds):
        for on in (False, True):
            refute.DISPLACEMENT_RULE = on
            spent.clear()
            notes.clear()
            started = time.perf_counter()
            regroup(replace(library, pictures=PictureCache()), params)
            seconds = time.perf_counter() - started
            detail = (f"; rule ran on {len(spent)} pairs, {sum(spent):.2f} s, "
                      f"{1000 * sum(spent) / max(len(spent), 1):.0f} ms a pair; "
                      + ", ".join(f"{n} {note}" for note, n in notes.most_common())) if on else ""
            print(f"rule {'on ' if on else 'off'}: grouping {seconds:.2f} s{detail}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
