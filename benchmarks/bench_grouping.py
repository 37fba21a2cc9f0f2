"""Benchmark the exact all-pairs Hamming search (find_pairs) on seeded synthetic 64-bit hashes.

Each set is N uniformly random hashes in which ~1% are replaced by planted clusters of 2-6 near
copies (each copy 0-8 random bit flips from its cluster's seed), like a photo library with a few
edited or re-saved copies. Every (method, N) runs in a fresh child process, so the peak RSS it
reports (ru_maxrss) belongs to that run alone. Methods that would take hours are estimated from a
sample and marked "estimate": bktree times a sample of its queries on the full tree, brute times
a random subset and scales by pair count. Every result is checked against the first exact run
(on the sample, for estimates).

    .venv/bin/python benchmarks/bench_grouping.py --sizes 100000 1000000 --threshold 10 \\
        --methods mih bktree brute --seed 1
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from dedup_gui.engine.progress import Cancelled, CancelToken, ProgressEvent
from dedup_gui.engine.search.bktree import BKTree
from dedup_gui.engine.search.hamming import find_pairs


def synthetic_hashes(n: int, seed: int, planted: float = 0.01) -> tuple[np.ndarray, np.ndarray]:
    """N random uint64 hashes, ~`planted` of them replaced by clusters of 2-6 near copies; also
    returns the positions of the copies (so sampled checks can include them)."""
    rng = np.random.default_rng(seed)
    hashes = rng.integers(0, 2**64, n, dtype=np.uint64)
    sizes: list[int] = []
    while sum(sizes) < planted * n and sum(sizes) + 2 <= n:
        sizes.append(int(rng.integers(2, 7)))
    slots = rng.permutation(n)[:sum(sizes)]
    cluster = np.repeat(rng.integers(0, 2**64, len(sizes), dtype=np.uint64), sizes)
    for k, base in enumerate(cluster[:len(slots)]):
        flips = rng.choice(64, int(rng.integers(0, 9)), replace=False).astype(np.uint64)
        hashes[slots[k]] = base ^ np.bitwise_or.reduce(np.uint64(1) << flips, initial=np.uint64(0))
    return hashes, slots


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(method: str, n: int, args: argparse.Namespace, out: Path) -> dict:
    """One measurement in this (fresh) process; pairs or sample results go to `out`."""
    hashes, planted = synthetic_hashes(n, args.seed)
    base_rss = peak_rss_mib()
    if method == "bktree" and n > args.bktree_max:
        return _bktree_estimate(hashes, planted, args, out) | {"base_rss": base_rss}
    if method == "brute" and n > args.brute_max:
        return _brute_estimate(hashes, planted, args, out) | {"base_rss": base_rss}
    wall, cpu = time.perf_counter(), time.process_time()
    pairs = find_pairs(hashes, args.threshold, method=method)
    result = {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
              "pairs": len(pairs), "rss": peak_rss_mib(), "base_rss": base_rss}
    np.save(out, pairs)
    if method in ("mih", "auto") and args.cancel_check:
        result["cancel_latency"] = _cancel_latency(hashes, args.threshold, method)
    return result


def _sample(n: int, planted: np.ndarray, size: int, seed: int) -> np.ndarray:
    """`size` random positions, half of them planted copies so the check meets real pairs."""
    rng = np.random.default_rng(seed)
    chosen = np.concatenate([rng.permutation(planted)[:size // 2], rng.permutation(n)])
    _, first = np.unique(chosen, return_index=True)
    return chosen[np.sort(first)][:size]


def _bktree_estimate(hashes: np.ndarray, planted: np.ndarray, args: argparse.Namespace,
                     out: Path) -> dict:
    """Build the full tree, time queries for a sample, extrapolate to all N queries."""
    values = [int(h) for h in hashes]
    start = time.perf_counter()
    tree = BKTree((value, index) for index, value in enumerate(values))
    build = time.perf_counter() - start
    sample = _sample(len(values), planted, args.sample_queries, args.seed)
    found, start, done = [], time.perf_counter(), 0
    for i in sample.tolist():
        found.extend((i, j, d) for j, d in tree.query(values[i], args.threshold) if j != i)
        done += 1
        if time.perf_counter() - start > args.sample_seconds:
            break
    per_query = (time.perf_counter() - start) / done
    np.save(out, np.array(found, np.int64).reshape(-1, 3))
    np.save(out.with_suffix(".sample.npy"), sample[:done])
    return {"wall": build + per_query * len(values), "cpu": None, "pairs": None,
            "rss": peak_rss_mib(), "estimate": f"tree built in {build:.1f} s, {done} queries "
            f"timed at {per_query * 1e3:.0f} ms each, x N"}


def _brute_estimate(hashes: np.ndarray, planted: np.ndarray, args: argparse.Namespace,
                    out: Path) -> dict:
    """Brute force on a subset; its time scales with the number of pairs, not their content."""
    subset = np.sort(_sample(len(hashes), planted, args.brute_max, args.seed))
    wall = time.perf_counter()
    pairs = find_pairs(hashes[subset], args.threshold, method="brute")
    wall = time.perf_counter() - wall
    scale = (len(hashes) * (len(hashes) - 1)) / (len(subset) * (len(subset) - 1))
    pairs[:, :2] = subset[pairs[:, :2]]
    np.save(out, pairs)
    np.save(out.with_suffix(".sample.npy"), subset)
    return {"wall": wall * scale, "cpu": None, "pairs": None, "rss": peak_rss_mib(),
            "estimate": f"{len(subset):,} of the hashes took {wall:.2f} s, x {scale:.1f}"}


def _cancel_latency(hashes: np.ndarray, threshold: int, method: str) -> float:
    """Seconds from cancel() (once a third of the work is done) to the Cancelled exception."""
    token, asked = CancelToken(), []

    def progress(event: ProgressEvent) -> None:
        if not asked and event.total and event.done >= event.total / 3:
            asked.append(time.perf_counter())
            threading.Thread(target=token.cancel).start()

    try:
        find_pairs(hashes, threshold, method=method, progress=progress, cancel=token)
    except Cancelled:
        return time.perf_counter() - asked[0]
    return float("nan")


def check(reference: np.ndarray, result: dict, out: Path) -> str:
    """'exact' if a run equals the reference; for estimates, compare on the sample."""
    found = np.load(out)
    sample_file = out.with_suffix(".sample.npy")
    if not sample_file.exists():
        return "exact" if np.array_equal(found, reference) else "MISMATCH"
    sample = set(np.load(sample_file).tolist())
    rows = reference.tolist()
    if result["estimate"].startswith("tree"):  # queries: every pair touching a sampled hash
        want = {(i, j, d) for i, j, d in rows if i in sample}
        want |= {(j, i, d) for i, j, d in rows if j in sample}
    else:  # subset: the pairs with both ends inside it
        want = {(i, j, d) for i, j, d in rows if i in sample and j in sample}
    got = {tuple(row) for row in found.tolist()}
    return f"sample exact ({len(want)} pairs)" if want == got else "SAMPLE MISMATCH"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--threshold", type=int, default=10)
    parser.add_argument("--methods", nargs="+", default=["mih", "bktree", "brute"],
                        choices=["auto", "mih", "bktree", "brute"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bktree-max", type=int, default=20_000,
                        help="larger N: estimate bktree from sampled queries")
    parser.add_argument("--brute-max", type=int, default=100_000,
                        help="larger N: estimate brute force from a subset this big")
    parser.add_argument("--sample-queries", type=int, default=200)
    parser.add_argument("--sample-seconds", type=float, default=30.0)
    parser.add_argument("--no-cancel-check", dest="cancel_check", action="store_false")
    parser.add_argument("--child", nargs=3, metavar=("METHOD", "N", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        method, n, out = args.child
        print(json.dumps(child(method, int(n), args, Path(out))))
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            reference = None
            for method in sorted(args.methods, key=lambda m: m in ("bktree", "brute")):
                out = Path(tmp) / f"{method}-{n}.npy"
                command = [sys.executable, __file__, *sys.argv[1:], "--child", method, str(n),
                           str(out)]
                result = json.loads(subprocess.run(command, check=True, capture_output=True,
                                                   text=True).stdout.splitlines()[-1])
                if reference is None and "estimate" not in result:
                    reference = np.load(out)
                result["check"] = check(reference, result, out) if reference is not None else "-"
                rows.append((n, method, result))
                print(_line(n, method, result), flush=True)
    print("\n" + _table(rows, args.threshold))


def _line(n: int, method: str, r: dict) -> str:
    text = (f"N={n:,} {method}: {r['wall']:.2f} s{' (ESTIMATE)' if 'estimate' in r else ''}, "
            f"pairs {r['pairs'] if r['pairs'] is not None else '-'}, peak RSS {r['rss']:.0f} MiB"
            f" (before search {r['base_rss']:.0f}), check: {r['check']}")
    if "estimate" in r:
        text += f"; {r['estimate']}"
    if "cancel_latency" in r:
        text += f"; cancel latency {r['cancel_latency'] * 1e3:.1f} ms"
    return text


def _table(rows: list[tuple[int, str, dict]], threshold: int) -> str:
    lines = [f"| N | method | wall time (threshold {threshold}) | CPU time | pairs | peak RSS | "
             "check | cancel latency |", "|---:|---|---:|---:|---:|---:|---|---:|"]
    for n, method, r in rows:
        wall = f"{r['wall']:,.2f} s" + (" (estimate)" if "estimate" in r else "")
        cpu = f"{r['cpu']:.2f} s" if r["cpu"] is not None else "-"
        pairs = f"{r['pairs']:,}" if r["pairs"] is not None else "-"
        cancel = f"{r['cancel_latency'] * 1e3:.1f} ms" if "cancel_latency" in r else "-"
        lines.append(f"| {n:,} | {method} | {wall} | {cpu} | {pairs} | {r['rss']:.0f} MiB | "
                     f"{r['check']} | {cancel} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
