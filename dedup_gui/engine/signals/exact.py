"""Exact copies: group files by size, then hash content only where sizes collide.

Most photos have a unique byte size, so most files are never read in full here. Hashing runs on
threads: hashlib releases the GIL while it digests, and reading is I/O, so threads use both cores
without the cost of processes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from dedup_gui.engine.parallel import default_workers
from dedup_gui.engine.progress import STAGE_EXACT, CancelToken, ProgressCallback, report
from dedup_gui.engine.signals.hashing import CONTENT_HASH_ALGO, content_hash
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.types import FileEntry

_SAVE_EVERY = 256


def size_collisions(files: Sequence[FileEntry]) -> list[FileEntry]:
    """Files that share their byte size with another file (only those can be exact copies)."""
    by_size: dict[int, list[FileEntry]] = defaultdict(list)
    for entry in files:
        if entry.size > 0:
            by_size[entry.size].append(entry)
    return [e for same in by_size.values() if len(same) > 1 for e in same]


def _digest_or_none(entry: FileEntry) -> str | None:
    """A file that vanished or cannot be read has no digest; the loader reports it later."""
    try:
        return content_hash(entry.path)
    except OSError:
        return None


def _cached(files: Sequence[FileEntry], candidates: list[FileEntry], cache: Cache
            ) -> dict[str, str]:
    """Cached digests of the candidates, read through all `files` when most are candidates: the
    signal reads that follow look up the same entries, so the cache fills its table of wanted
    files once instead of twice (a warm rescan of 500k files: ~1 s less)."""
    if len(candidates) < len(files) // 2:
        return cache.content_hashes(candidates, CONTENT_HASH_ALGO)
    found = cache.content_hashes(files, CONTENT_HASH_ALGO)
    if len(candidates) < len(files):  # drop the few files of a size no other file has
        wanted = {entry.path for entry in candidates}
        return {path: digest for path, digest in found.items() if path in wanted}
    return found


def find_content_hashes(files: Sequence[FileEntry], cache: Cache,
                        progress: ProgressCallback | None = None,
                        cancel: CancelToken | None = None) -> tuple[dict[str, str], int]:
    """path -> blake2b digest for every file whose size collides; also how many were hashed now."""
    candidates = size_collisions(files)
    digests = _cached(files, candidates, cache)
    # digests holds candidates only: as many as they are, and none is left to hash (warm)
    todo = [] if len(digests) == len(candidates) else \
        [e for e in candidates if e.path not in digests]
    report(progress, STAGE_EXACT, len(candidates) - len(todo), len(candidates))
    unsaved: list[tuple[FileEntry, str]] = []
    with ThreadPoolExecutor(max_workers=default_workers()) as pool:
        try:
            for done, (entry, digest) in enumerate(
                    zip(todo, pool.map(_digest_or_none, todo), strict=True), start=1):
                if cancel is not None:
                    cancel.raise_if_cancelled()
                if digest is not None:
                    digests[entry.path] = digest
                    unsaved.append((entry, digest))
                if len(unsaved) >= _SAVE_EVERY:
                    cache.put_content_hashes(unsaved, CONTENT_HASH_ALGO)
                    unsaved.clear()
                report(progress, STAGE_EXACT, len(candidates) - len(todo) + done,
                       len(candidates))
        finally:
            cache.put_content_hashes(unsaved, CONTENT_HASH_ALGO)
            pool.shutdown(wait=False, cancel_futures=True)
    return digests, len(todo)
