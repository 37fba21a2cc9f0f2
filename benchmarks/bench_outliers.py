"""Outlier ranking quality: how many planted outliers land in the top 2% of the ranking.

    python benchmarks/bench_outliers.py [--work /tmp/dedup-outliers] [--per-kind 2] [-k 5]
                                        [--base series|datasets]

--base series (default): the library of plant_outliers.py — every dev-set original photo as a
series of shots, plus planted junk. --base datasets: the dev-set folders exactly as they are
(originals, AugLy variants — memes, screenshots of photos — and many one-off photos) plus the
same planted junk: harder, because one-off photos are outliers too, by definition.
The scan cache lives in --work, so a second run only re-ranks.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from plant_outliers import DATASETS, SETS, make

from dedup_gui.engine.insights.library import InsightParams, build_insights
from dedup_gui.engine.pipeline import ScanParams
from dedup_gui.engine.store.cache import Cache


def measure(roots: list[str], planted: list[str], cache: Path, k: int, top: float) -> dict:
    started = time.perf_counter()
    params = InsightParams(ScanParams(tuple(roots)), k=k, quality=False)
    insights = build_insights(params, Cache(cache))
    seconds = time.perf_counter() - started
    ranked = [o.path for o in insights.outliers]
    cut = max(1, int(len(ranked) * top))
    found = set(ranked[:cut]) & set(planted)
    ranks = sorted(ranked.index(p) + 1 for p in planted if p in ranked)
    return {"images": len(ranked), "planted": len(planted), "cut": cut, "found": len(found),
            "ranks": ranks, "seconds": seconds,
            "missed": sorted(Path(p).name for p in set(planted) - found)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path,
                        default=Path(tempfile.gettempdir()) / "dedup-outliers")
    parser.add_argument("--per-photo", type=int, default=7)
    parser.add_argument("--per-kind", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-k", type=int, default=5)
    parser.add_argument("--top", type=float, default=0.02, help="share of the ranking (0.02)")
    parser.add_argument("--base", choices=("series", "datasets"), default="series")
    args = parser.parse_args(argv)
    library = args.work / "library"
    _, planted = make(library, args.per_photo if args.base == "series" else 0, args.per_kind,
                      args.seed)
    roots = [str(library / "planted")]
    if args.base == "series":
        roots.append(str(library / "photos"))
    else:
        roots += [str(DATASETS / name / "images") for name in SETS]
    r = measure(roots, planted, args.work / "cache.sqlite3", args.k, args.top)
    share = r["found"] / r["planted"]
    print(json.dumps(r, indent=1))
    print(f"\n{args.base}: {r['images']} images, {r['planted']} planted; top {args.top:.0%} = "
          f"{r['cut']} images holds {r['found']}/{r['planted']} planted ({share:.0%}); "
          f"k = {args.k}; {r['seconds']:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
