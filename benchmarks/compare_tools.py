"""Side by side on one labelled folder, in one run: our scan (hashes only; hashes + embeddings),
imagehash's pHash by brute force over all pairs (pure Python), and findimagedupes (Debian
package `findimagedupes`). One table: pair precision, recall, F1, wall time, images/s, peak RSS.

    python benchmarks/compare_tools.py ../shared/datasets/debian_augly_dev/images \
        --truth ../shared/datasets/debian_augly_dev/groups.json

Every tool runs as its own subprocess, no cache, after one read of every file (page cache
warm, like the README's speed numbers). Memory is sampled every 50 ms over the tool's whole
process tree from /proc: the peak RSS of its largest process, and the peak PSS of all its
processes together (shared pages counted once) — getrusage would miss worker processes started
by a forkserver. A tool that is not installed is reported as such. Timings are noisy on a busy
machine: use --repeat.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from dedup_gui.engine.evaluation.report import Found, evaluate, found_from_groups
from dedup_gui.engine.evaluation.report import found_from_mapping as from_mapping
from dedup_gui.engine.evaluation.truth import load_truth
from dedup_gui.engine.signals.scanner import discover

FINDIMAGEDUPES_VIEWER = '#!/bin/sh\nprintf "%s\\0" "$@" >> "$FID_OUT"\nprintf "\\0" >> "$FID_OUT"\n'


@dataclass
class Tool:
    name: str
    command: Callable[[Path, Path], list[str]] | None  # (folder, output file) -> argv
    read: Callable[[Path, Path], Found]  # (folder, output file) -> what it found
    env: Callable[[Path], dict] = lambda out: {}
    missing: str = ""  # why it cannot run


@dataclass
class Run:
    seconds: float
    largest_mb: float  # peak RSS of the largest single process
    total_mb: float  # peak PSS of the whole process tree at one moment
    returncode: int


def _tree(root: int) -> list[int]:
    """`root` and every process below it (from /proc; workers of a forkserver included)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parents[int(entry)] = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        found += frontier
    return found


def _memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in kB; (0, 0) once it is gone."""
    values = {"Rss:": 0, "Pss:": 0}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                key, *rest = line.split()
                if key in values:
                    values[key] = int(rest[0])
    except (OSError, ValueError):
        pass
    return values["Rss:"], values["Pss:"]


def run_measured(argv: list[str], env: dict) -> Run:
    """Run one command: wall time, and its memory sampled every 50 ms across the whole
    process tree (getrusage/wait4 miss worker processes a forkserver started)."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    largest = total = 0
    while process.poll() is None:
        sizes = [_memory_kb(pid) for pid in _tree(process.pid)]
        largest = max(largest, *(rss for rss, _ in sizes))
        total = max(total, sum(pss for _, pss in sizes))
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        print(f"{argv[0]}: exit {process.returncode}: {process.stderr.read()[-500:]!r}",
              file=sys.stderr)
    process.stderr.close()
    return Run(seconds, largest / 1024, total / 1024, process.returncode)


def relative(folder: Path, path: str) -> str:
    return os.path.relpath(path, folder).replace(os.sep, "/")


def ours(embeddings: bool) -> Tool:
    def command(folder: Path, out: Path) -> list[str]:
        argv = [sys.executable, "-m", "dedup_gui", "scan", str(folder), "--no-cache", "-q",
                "--json", str(out)]
        return argv if embeddings else [*argv, "--no-embeddings"]

    def read(folder: Path, out: Path) -> Found:
        groups = json.loads(out.read_text())["groups"]
        return found_from_groups([[relative(folder, f["path"]) for f in g["files"]]
                                  for g in groups])

    label = "hashes + embeddings (default)" if embeddings else "hashes only (pHash ≤ 10)"
    return Tool(f"dedup-gui, {label}", command, read)


def phash_brute_force(threshold: int) -> Tool:
    def command(folder: Path, out: Path) -> list[str]:
        return [sys.executable, __file__, "--phash-worker", str(folder), str(threshold), str(out)]

    def read(folder: Path, out: Path) -> Found:
        return from_mapping(json.loads(out.read_text()))

    return Tool(f"imagehash pHash brute force (≤ {threshold})", command, read)


def phash_worker(folder: Path, threshold: int, out: Path) -> None:
    """What a plain imagehash script does: decode, pHash, compare every pair in Python."""
    import imagehash
    from PIL import Image

    hashes = {}
    for entry in discover([folder]).files:
        try:
            with Image.open(entry.path) as image:
                hashes[relative(folder, entry.path)] = imagehash.phash(image)
        except OSError:
            continue
    mapping: dict[str, list[str]] = {name: [] for name in hashes}
    for a, b in combinations(hashes, 2):
        if hashes[a] - hashes[b] <= threshold:
            mapping[a].append(b)
            mapping[b].append(a)
    out.write_text(json.dumps(mapping))


def findimagedupes(threshold: str) -> Tool:
    program = shutil.which("findimagedupes")

    def command(folder: Path, out: Path) -> list[str]:
        viewer = out.with_suffix(".sh")
        viewer.write_text(FINDIMAGEDUPES_VIEWER)
        viewer.chmod(0o755)
        return [program, "-R", "-q", "-t", threshold, "-p", str(viewer), str(folder)]

    def read(folder: Path, out: Path) -> Found:
        text = out.read_bytes().decode("utf-8", "surrogateescape") if out.exists() else ""
        groups = [g.split("\0") for g in text.split("\0\0") if g.strip("\0")]
        return found_from_groups([[relative(folder, p) for p in g if p] for g in groups])

    return Tool(f"findimagedupes (-t {threshold})", command, read,
                env=lambda out: {"FID_OUT": str(out)},
                missing="" if program else "not installed (apt-get install findimagedupes)")


def warm_page_cache(folder: Path) -> int:
    files = discover([folder]).files
    for entry in files:
        with open(entry.path, "rb") as handle:
            while handle.read(1 << 20):
                pass
    return len(files)


def measure(tool: Tool, folder: Path, truth, images: int, repeat: int) -> str:
    if tool.missing:
        return f"| {tool.name} | {tool.missing} | | | | | | |"
    runs, found = [], None
    with tempfile.TemporaryDirectory() as tmp:
        for attempt in range(repeat):
            out = Path(tmp) / f"out{attempt}.json"
            runs.append(run_measured(tool.command(folder, out), tool.env(out)))
            if runs[-1].returncode != 0:
                return f"| {tool.name} | failed (exit {runs[-1].returncode}) | | | | | | |"
            found = tool.read(folder, out)
    scores = evaluate(found, truth).pairs
    best = min(run.seconds for run in runs)
    largest = max(run.largest_mb for run in runs)
    total = max(run.total_mb for run in runs)
    return (f"| {tool.name} | {scores.precision:.3f} | {scores.recall:.3f} | {scores.f1:.3f} | "
            f"{best:.1f} s | {images / best:.0f} | {largest:.0f} MB | {total:.0f} MB |")


def main(argv: list[str] | None = None) -> int:
    if argv is None and sys.argv[1:2] == ["--phash-worker"]:
        phash_worker(Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the images folder")
    parser.add_argument("--truth", type=Path, required=True, help="ground truth JSON")
    parser.add_argument("--phash-threshold", type=int, default=10)
    parser.add_argument("--findimagedupes-threshold", default="90%")
    parser.add_argument("--repeat", type=int, default=1, help="runs per tool (best time)")
    args = parser.parse_args(argv)
    folder = args.folder.resolve()
    truth = load_truth(args.truth, folder)
    images = warm_page_cache(folder)
    tools = [ours(False), ours(True), phash_brute_force(args.phash_threshold),
             findimagedupes(args.findimagedupes_threshold)]
    print(f"{folder}: {images} images, {len(truth.pairs)} true pairs; "
          f"{os.cpu_count()} CPUs")
    print("| tool | precision | recall | F1 | wall | images/s | peak RSS, largest process | "
          "peak PSS, all processes |")
    print("|---|---|---|---|---|---|---|---|")
    for tool in tools:
        print(measure(tool, folder, truth, images, args.repeat), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
