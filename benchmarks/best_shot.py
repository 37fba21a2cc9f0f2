"""How often the suggested best shot of a burst (grouping/series.py best_shot) is a frame a
person would keep, on the burst dev set's labelled simulated bursts (benchmarks/make_bursts.py):
each original frame carries its motion blur radius and exposure step in manifest.json.

    PYTHONPATH=. .venv/bin/python benchmarks/best_shot.py [/work/data/bursts] [--scan CACHE]

Per burst holding a blurred frame and a sharp one: does the best shot have no blur? Per burst
holding frames at 0 EV and frames stepped: is the best shot at 0 EV (among the sharp)? Runs on
the originals of each labelled burst, so it measures the scoring, not how series are found.
With --scan, also the series a default scan finds (cache file CACHE): how many suggest a
blurred frame although the series holds an unblurred one.
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path

from PIL import Image

from dedup_gui.engine.grouping.picture_cache import PictureCache
from dedup_gui.engine.grouping.series import best_shot
from dedup_gui.engine.types import GroupFile


def frames(folder: Path) -> dict[str, list[dict]]:
    import json

    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    bursts: dict[str, list[dict]] = collections.defaultdict(list)
    for entry in manifest["files"]:
        if entry.get("role") == "original" and "blur_radius" in entry.get("capture", {}):
            bursts[entry["burst"]].append(entry)
    return bursts


def group_file(path: Path) -> GroupFile:
    with Image.open(path) as image:
        width, height = image.size
    stat = path.stat()
    return GroupFile(str(path), stat.st_size, stat.st_mtime_ns, width, height, "JPEG")


def main(folder: Path) -> None:
    load = PictureCache()
    blur_tests = blur_wins = ev_tests = ev_wins = 0
    for burst, entries in sorted(frames(folder).items()):
        by_path = {str(folder / "images" / e["path"]): e["capture"] for e in entries}
        best, reason = best_shot([group_file(Path(p)) for p in by_path], load)
        chosen = by_path[best]
        blurs = {c["blur_radius"] for c in by_path.values()}
        if len(blurs) > 1 and 0.0 in blurs:
            blur_tests += 1
            blur_wins += chosen["blur_radius"] == 0.0
        sharp_evs = {c["ev"] for c in by_path.values() if c["blur_radius"] == 0.0}
        if len(sharp_evs) > 1 and 0.0 in sharp_evs and chosen["blur_radius"] == 0.0:
            ev_tests += 1
            ev_wins += chosen["ev"] == 0.0
        print(f"{burst}: {len(entries)} frames, best blur {chosen['blur_radius']:.2f} "
              f"ev {chosen['ev']:+.2f} ({reason})")
    print(f"bursts with a blurred frame: {blur_tests}, best shot unblurred in {blur_wins}")
    print(f"bursts with exposure steps: {ev_tests}, best shot at 0 EV in {ev_wins}")


def scanned(folder: Path, cache_path: Path) -> None:
    from dedup_gui.engine.pipeline import ScanParams, run_scan
    from dedup_gui.engine.store.cache import Cache

    blur = {str(folder / "images" / e["path"]): e["capture"]["blur_radius"]
            for entries in frames(folder).values() for e in entries}
    result = run_scan(ScanParams(roots=(str(folder / "images"),)), Cache(cache_path))
    tests = wins = 0
    for series in result.series:
        known = [blur[f.path] for f in series.files if f.path in blur]
        if series.best in blur and 0.0 in known and len(set(known)) > 1:
            tests += 1
            wins += blur[series.best] == 0.0
    print(f"scan: {len(result.series)} series, {tests} with blurred and unblurred labelled "
          f"frames, best shot unblurred in {wins}")


if __name__ == "__main__":
    args = sys.argv[1:]
    cache = Path(args[args.index("--scan") + 1]) if "--scan" in args else None
    args = [a for a in args if a != "--scan" and (cache is None or a != str(cache))]
    main(Path(args[0] if args else "/work/data/bursts"))
    if cache is not None:
        scanned(Path(args[0] if args else "/work/data/bursts"), cache)
