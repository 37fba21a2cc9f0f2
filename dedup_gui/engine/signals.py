"""Signals for every file: from the cache when unchanged, else decoded on all cores.

Exact copies are decoded once: the other copies take the same signals. Results are written to the
cache in small transactions while decoding goes on, so cancelling keeps what was done.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dedup_gui.engine.cache import Cache
from dedup_gui.engine.hashing import hash_algo_key, signals_batch
from dedup_gui.engine.parallel import map_batches
from dedup_gui.engine.progress import STAGE_SIGNALS, CancelToken, ProgressCallback, report
from dedup_gui.engine.types import FileEntry, ImageSignals

_SAVE_EVERY_S = 1.0


@dataclass(frozen=True, slots=True)
class SignalJob:
    files: Sequence[FileEntry]
    digests: Mapping[str, str]
    hash_size: int
    workers: int | None = None


def _decode_plan(missing: Sequence[FileEntry], digests: Mapping[str, str]
                 ) -> dict[str, list[FileEntry]]:
    """Representative path -> every missing file with its bytes (exact copies decode once)."""
    plan: dict[str, list[FileEntry]] = {}
    first_of_digest: dict[str, str] = {}
    for entry in missing:
        digest = digests.get(entry.path)
        representative = first_of_digest.setdefault(digest, entry.path) if digest else entry.path
        plan.setdefault(representative, []).append(entry)
    return plan


def _reuse_exact_copies(missing: list[FileEntry], digests: Mapping[str, str],
                        known: dict[str, ImageSignals | str]) -> list[FileEntry]:
    """Fill signals of missing files from a cached exact copy; return those still missing."""
    by_digest = {digests[p]: v for p, v in known.items() if p in digests}
    still = []
    for entry in missing:
        value = by_digest.get(digests.get(entry.path, ""))
        if value is None:
            still.append(entry)
        else:
            known[entry.path] = value
    return still


def collect_signals(job: SignalJob, cache: Cache, progress: ProgressCallback | None = None,
                    cancel: CancelToken | None = None) -> tuple[dict[str, ImageSignals | str], int]:
    """path -> signals (or read error) for all files, and how many images were decoded now."""
    algo = hash_algo_key(job.hash_size)
    known = cache.signals(job.files, algo)
    missing = [entry for entry in job.files if entry.path not in known]
    still_missing = _reuse_exact_copies(missing, job.digests, known)
    reused = set(missing) - set(still_missing)
    cache.put_signals(((e, known[e.path]) for e in reused), algo)
    missing = still_missing
    plan = _decode_plan(missing, job.digests)
    total, done = len(job.files), len(job.files) - len(missing)
    report(progress, STAGE_SIGNALS, done, total)
    unsaved: list[tuple[FileEntry, ImageSignals | str]] = []
    last_save = time.monotonic()
    try:
        for batch, results in map_batches(signals_batch, list(plan), job.hash_size,
                                          workers=job.workers, cancel=cancel):
            for representative, value in zip(batch, results, strict=True):
                for entry in plan[representative]:
                    known[entry.path] = value
                    unsaved.append((entry, value))
                done += len(plan[representative])
            report(progress, STAGE_SIGNALS, done, total)
            if time.monotonic() - last_save > _SAVE_EVERY_S:
                cache.put_signals(unsaved, algo)
                unsaved.clear()
                last_save = time.monotonic()
    finally:
        cache.put_signals(unsaved, algo)
    return known, len(plan)
