"""What the verification stage costs next to a cold scan of the same folder.

    python benchmarks/bench_verify.py DIR [DIR ...] [--capture-from-exif]

Per folder: a cold scan (no cache) without verification; then the grouping stage alone on the
same signals without and with verification (fresh decoded-picture cache). Prints the pairs
verified, the verification time, its share of the cold scan and the cost per pair. The machine
may be shared: compare numbers taken in the same run only.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dedup_gui.engine.evaluation.run import prepare_library, regroup
from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.store.cache import Cache


def measure(folder: Path) -> str:
    params = ScanParams(roots=(str(folder),), verify=False)
    started = time.perf_counter()
    run_scan(params, Cache(None))
    cold = time.perf_counter() - started
    library = prepare_library(params, Cache(None))
    started = time.perf_counter()
    regroup(library, params)
    plain = time.perf_counter() - started
    started = time.perf_counter()
    regroup(library, replace(params, verify=True))
    verified = time.perf_counter() - started
    pairs = len(library.pictures.verdicts)
    cost = verified - plain
    return (f"{folder}: cold scan {cold:.1f} s; grouping {plain:.2f} s, with verification "
            f"{verified:.2f} s: +{cost:.2f} s = {100 * cost / cold:.0f}% of the cold scan, "
            f"{pairs} pairs checked in pixels, {1000 * cost / max(pairs, 1):.1f} ms a pair")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--capture-from-exif", action="store_true")
    args = parser.parse_args()
    if args.capture_from_exif:
        from capture_shim import install

        install()
    for folder in args.folders:
        print(measure(folder), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
