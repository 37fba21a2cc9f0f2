"""read_library: the signal stage every consumer shares. Folders -> files -> exact copies ->
signals (from the cache when unchanged, else decoded on all cores), once, in one place: the scan,
the evaluation, the insights and the query by example all read a library through it."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from dedup_gui.engine.parallel import (
    IN_PROCESS_BELOW,
    Mapper,
    default_workers,
    map_batches,
    warm_up,
)
from dedup_gui.engine.progress import CancelToken, ProgressCallback
from dedup_gui.engine.signals.capture import CAPTURE_READER
from dedup_gui.engine.signals.collect import Collected, SignalJob, collect_signals
from dedup_gui.engine.signals.embedding import from_blob, model_id
from dedup_gui.engine.signals.exact import find_content_hashes
from dedup_gui.engine.signals.handoff import Pictures
from dedup_gui.engine.signals.hashing import CONTENT_HASH_ALGO, hash_algo_key
from dedup_gui.engine.signals.scanner import discover
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.store.forget import forget_missing
from dedup_gui.engine.types import Capture, FileEntry, ImageSignals, Issue


@dataclass(frozen=True, slots=True)
class Library:
    """Every file found under the roots, its exact-copy digest (where sizes collide) and its
    signals: ImageSignals, or the reason it could not be read."""

    files: tuple[FileEntry, ...]
    issues: tuple[Issue, ...]  # folders and files discovery could not read
    digests: dict[str, str]
    content_hashed: int  # files whose bytes were hashed (not from the cache)
    signals: dict[str, ImageSignals | str]
    embeddings: dict[str, bytes]  # path -> embedding blob (embeddings on)
    decoded: int  # files decoded (not from the cache)
    captures: dict[str, Capture] = field(default_factory=dict)  # path -> when and with what
    companions: tuple[FileEntry, ...] = ()  # RAW, Live videos, sidecars beside the images
    # verification's decodes made by this read, for this scan's verification (handoff.py)
    pictures: Pictures = field(default_factory=Pictures)
    skipped: tuple[Issue, ...] = ()  # folders a system or app keeps (system_folders.py)

    def readable(self) -> dict[str, ImageSignals]:
        return {p: s for p, s in self.signals.items() if isinstance(s, ImageSignals)}

    def readable_paths(self) -> ReadablePaths:
        """The readable images' paths as a view: no copy unless iterated (the capture units
        of a library without RAW files or companions only ever ask nothing)."""
        return ReadablePaths(self.signals)

    def vectors(self, dtype: type = np.float32) -> dict[str, np.ndarray]:
        """path -> embedding. float32: rows of one matrix, decoded in one call (per file that
        saves an allocation and a conversion). float16: the cached values themselves, read in
        place (no copy at all: a warm rescan of 500k files keeps 640 MB less); exact, but a
        consumer must compute in float32 (grouping does)."""
        if dtype == np.float16:
            return {p: np.frombuffer(b, np.float16) for p, b in self.embeddings.items()}
        blobs = list(self.embeddings.values())
        if not blobs or len({len(b) for b in blobs}) != 1:  # one model gives one length
            return {p: from_blob(b) for p, b in self.embeddings.items()}
        matrix = np.frombuffer(b"".join(blobs), np.float16).reshape(len(blobs), -1)
        return dict(zip(self.embeddings, matrix.astype(np.float32), strict=True))

    def let_go_of_signals(self) -> None:
        """Empty the signals map, for a caller that has made from it all it needs (run_scan's
        grouping: the group files and the one hash it compares). Its ImageSignals, each with
        a dict of four hashes, are ~430 bytes a file that the search and verification would
        otherwise carry (500k files: ~0.2 GB of the 2 GB budget)."""
        self.signals.clear()

    def read_errors(self) -> list[Issue]:
        """Files found but not readable as images, in file order."""
        failed = {path for path, value in self.signals.items() if isinstance(value, str)}
        return [Issue(f.path, self.signals[f.path]) for f in self.files if f.path in failed] \
            if failed else []


def _warm_workers(cache: Cache, files: tuple[FileEntry, ...], modules: Sequence[str]) -> None:
    """Start the workers' process now (parallel.warm_up) when the library snapshot lacks
    enough files for decoding to start workers: most likely new photos (a file it lacks may
    still be in the tables, then only that start is spent). Without a snapshot (a small
    library, a first scan) the first pool starts it as before."""
    misses = cache.snapshot_misses(files)
    if misses is not None and misses >= IN_PROCESS_BELOW:
        warm_up(modules)


def _keep_snapshot(cache: Cache, files: tuple[FileEntry, ...], digests: dict[str, str],
                   collected: Collected, hash_size: int, model: str | None,
                   exact_copies: bool) -> None:
    """The values just read, in the cache's snapshot when it holds too few of them
    (store/snapshot.py): a large library's next scan reads them in one go."""
    values = {"content_hashes": digests, "signals": collected.signals,
              "embeddings": collected.embeddings, "captures": collected.captures}
    versions = {"content_hashes": CONTENT_HASH_ALGO if exact_copies else None,
                "signals": hash_algo_key(hash_size), "embeddings": model,
                "captures": CAPTURE_READER}
    cache.keep_snapshot(files, values, versions, collected.decoded)


class ReadablePaths(Collection[str]):
    """Paths whose signals are ImageSignals, answered from the signals map itself."""

    def __init__(self, signals: Mapping[str, ImageSignals | str]) -> None:
        self._signals = signals

    def __contains__(self, path: object) -> bool:
        return isinstance(self._signals.get(path), ImageSignals)  # type: ignore[call-overload]

    def __iter__(self) -> Iterator[str]:
        return (p for p, s in self._signals.items() if isinstance(s, ImageSignals))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def read_library(roots: Sequence[str], cache: Cache, *, hash_size: int = 8,
                 include_hidden: bool = False, workers: int | None = None,
                 embeddings: bool = True, exact_copies: bool = True,
                 mapper: Mapper = map_batches, progress: ProgressCallback | None = None,
                 cancel: CancelToken | None = None, picture_budget: int = 0,
                 workers_run: Sequence[str] = ()) -> Library:
    """Discover the images under `roots` and read every file's signals, computing only what
    the cache lacks. `exact_copies` off: no content hashing (a query by example needs none).
    `mapper` runs the decoding (engine/cluster.py: on a Dask cluster). `picture_budget`:
    bytes of verification's decodes kept for the scan's verification (handoff.py). Rows of
    files gone from a folder read completely are dropped from the cache (store/forget.py).
    `workers_run`: the modules this scan's local worker pools run (none: decoding elsewhere,
    engine/cluster.py), started ahead (parallel.warm_up) where the cache's snapshot lacks
    enough files to be decoded in workers."""
    found = discover(roots, include_hidden=include_hidden, progress=progress, cancel=cancel)
    if workers_run and (workers or default_workers()) > 1:
        _warm_workers(cache, found.files, workers_run)
    digests, hashed = (find_content_hashes(found.files, cache, progress, cancel)
                       if exact_copies else ({}, 0))
    model = model_id() if embeddings else None
    pictures = Pictures(picture_budget)
    job = SignalJob(found.files, digests, hash_size, workers, model, mapper, pictures)
    collected = collect_signals(job, cache, progress, cancel)
    forget_missing(cache, roots, [f.path for f in found.files], [i.path for i in found.issues],
                   hash_algo_key(hash_size), [f.path for f in found.companions])
    _keep_snapshot(cache, found.files, digests, collected, hash_size, model, exact_copies)
    return Library(tuple(found.files), tuple(found.issues), digests, hashed,
                   collected.signals, collected.embeddings, collected.decoded,
                   collected.captures, tuple(found.companions), pictures, found.skipped)
