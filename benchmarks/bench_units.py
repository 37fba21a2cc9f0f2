"""What capture units cost a warm rescan (issue 14 target: < 5% on 10,000 files).

    python benchmarks/bench_units.py --base /tmp/units-base [--work /tmp/dedup-units]
                                     [--count 10000] [--rounds 3]

Generates (seeded, kept in --work) a library of small JPEGs cut from the dev sets' real photos
(make_library.py, as bench_scan.py's warm rescan), about half of them with companions
as cameras and phones write them (XMP, Live video, RAW, AAE, Takeout JSON) plus unrelated files,
fills a cache with one scan, then times warm rescans (the real CLI in a subprocess, hashes and
embeddings as by default) alternately with this tree and with `--base`, a checkout of the code
before units (`git archive <merge-base> | tar -x -C /tmp/units-base`), so both are measured in
the same minutes on a shared machine. Also times discovery + pairing alone, in-process.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_library import DEFAULT_SOURCES, make_library, source_photos

HERE = Path(__file__).resolve().parents[1]
COMPANIONS = ((".xmp", 3), (".MOV", 5), (".CR2", 7), (".AAE", 11), (".jpg.json", 4))


def make(folder: Path, count: int, sources: Path) -> None:
    """`count` small photos (random crops of the dev sets' real photos, as bench_scan's warm
    library), with companions beside about half of them and a few unrelated files."""
    if (folder / ".done").exists():
        return
    many = sorted({*source_photos(sources), *source_photos(sources.parents[1], min_side=240)})
    for index, path in enumerate(make_library(folder, count, "small", many, seed=99)):
        for ext, every in COMPANIONS:
            if index % every == 0:
                path.with_name(path.stem + ext).write_bytes(b"companion %d" % index)
        if index % 50 == 0:
            (folder / f"notes_{index}.txt").write_text("not a companion")
    (folder / ".done").write_text("")


def rescan(code: Path, folder: Path, cache: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(code)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "dedup_gui", "scan", str(folder), "-q", "--cache",
                    str(cache), "--workers", "2"], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def discovery(code: Path, folder: Path) -> float:
    """Best of 3: discover() (and, where it exists, find_units) in a fresh interpreter."""
    script = (
        "import time,sys\n"
        "from dedup_gui.engine.signals.scanner import discover\n"
        "best=1e9\n"
        "for _ in range(3):\n"
        "    t=time.perf_counter(); d=discover([sys.argv[1]])\n"
        "    try:\n"
        "        from dedup_gui.engine.signals.companions import find_units\n"
        "        find_units(d.files, d.companions)\n"
        "    except ImportError: pass\n"
        "    best=min(best,time.perf_counter()-t)\n"
        "print(best)\n")
    out = subprocess.run([sys.executable, "-c", script, str(folder)], check=True, text=True,
                         capture_output=True, env={**os.environ, "PYTHONPATH": str(code)})
    return float(out.stdout)


def pairing_ms(folder: Path, cache: Path) -> str:
    """The units' own step of a warm rescan, in-process: capture_units on the library read."""
    script = (
        "import sys,time\n"
        "from pathlib import Path\n"
        "from dedup_gui.engine.pipeline import ScanParams, capture_units, read\n"
        "from dedup_gui.engine.store.cache import Cache\n"
        "params=ScanParams(roots=(sys.argv[1],), workers=2)\n"
        "library=read(params, Cache(Path(sys.argv[2])))\n"
        "best=1e9\n"
        "for _ in range(5):\n"
        "    t=time.perf_counter(); units=capture_units(library, params)\n"
        "    best=min(best,time.perf_counter()-t)\n"
        "print(f'{best*1000:.0f} ms for {len(library.files)} images and '\n"
        "      f'{len(library.companions)} companions ({len(units.companions)} units)')\n")
    env = {**os.environ, "PYTHONPATH": str(HERE)}
    out = subprocess.run([sys.executable, "-c", script, str(folder), str(cache)], check=True,
                         text=True, capture_output=True, env=env)
    return out.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", type=Path, required=True, help="checkout without units")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "dedup-units")
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    args = parser.parse_args(argv)
    folder = args.work / f"library-{args.count}"
    make(folder, args.count, args.sources)
    files = sum(len(names) for _, _, names in os.walk(folder)) - 1
    cache = args.work / f"cache-{args.count}.sqlite3"
    if not cache.exists():
        print(f"cold scan of {folder} ({files} files) to fill the cache …", flush=True)
        print(f"  {rescan(HERE, folder, cache):.1f} s", flush=True)
    times: dict[str, list[float]] = {"base": [], "units": []}
    for _ in range(args.rounds):  # alternate, so load from other users hits both alike
        times["base"].append(rescan(args.base, folder, cache))
        times["units"].append(rescan(HERE, folder, cache))
    base, units = min(times["base"]), min(times["units"])
    print(f"{args.count} images, {files} files: warm rescan best of {args.rounds}: "
          f"base {base:.2f} s, units {units:.2f} s ({units / base - 1:+.1%})")
    print("  all runs:", {k: [round(v, 2) for v in vs] for k, vs in times.items()})
    walk_base, walk_units = discovery(args.base, folder), discovery(HERE, folder)
    print(f"discovery (+ pairing) alone, best of 3: base {walk_base:.3f} s, "
          f"units {walk_units:.3f} s")
    print(f"pairing (capture_units) alone, best of 5: {pairing_ms(folder, cache)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
