"""run_scan = read (signals/read.py: folders -> files -> exact copies -> cached signals) ->
group_library (grouping) -> ScanResult.

The one entry point both front ends call. Every stage reports progress and honours the cancel
token; cache writes happen in small transactions as results arrive, so a cancel or a crash keeps
everything computed so far and the cache consistent.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import numpy as np

from dedup_gui.engine.cluster import cluster_mapper
from dedup_gui.engine.grouping.basis_store import BasisStore
from dedup_gui.engine.grouping.groups import group_and_series
from dedup_gui.engine.grouping.pair_store import PairStore
from dedup_gui.engine.grouping.picture_cache import PictureCache
from dedup_gui.engine.grouping.result_memo import ResultMemo
from dedup_gui.engine.grouping.shot_store import StoredScores
from dedup_gui.engine.grouping.units import MatchParams
from dedup_gui.engine.grouping.verdict_store import StoredVerdicts
from dedup_gui.engine.grouping.verified_store import VerifiedStore
from dedup_gui.engine.parallel import map_batches
from dedup_gui.engine.progress import STAGE_COMPARE, CancelToken, ProgressCallback, report
from dedup_gui.engine.signals import handoff
from dedup_gui.engine.signals.companions import CaptureUnits, find_units
from dedup_gui.engine.signals.embedding import model_id
from dedup_gui.engine.signals.group_inputs import FileStamps, compared_hashes, group_files_of
from dedup_gui.engine.signals.hashing import hash_algo_key
from dedup_gui.engine.signals.read import Library, read_library
from dedup_gui.engine.signals.system_folders import skipped_note
from dedup_gui.engine.store import rescue
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.store.decisions import Decisions
from dedup_gui.engine.tiers import DEFAULT_TIER_THRESHOLDS, DEFAULT_TIERS, TIERS, TierThresholds
from dedup_gui.engine.types import (
    HASH_KINDS,
    ScanResult,
    ScanStats,
)

DEFAULT_HASH = "phash"
# What a scan's worker pools run: decoding (signals/batch.py), then verification's pixel checks
# (grouping/verify_pool.py); started ahead where the cache says files are new (read.py).
WORKER_MODULES = ("dedup_gui.engine.signals.batch", "dedup_gui.engine.grouping.verify_pool")
# Largest Hamming distance (of 64 bits) that counts as a duplicate, per hash; scaled for wider
# hashes. Set from the dev sets favouring precision: see README, "How well it works".
DEFAULT_THRESHOLDS = {"phash": 10, "dhash": 8, "ahash": 4, "whash": 4}


def default_threshold(hash_kind: str, hash_size: int = 8) -> int:
    return DEFAULT_THRESHOLDS[hash_kind] * hash_size * hash_size // 64


@dataclass(frozen=True, slots=True)
class ScanParams:
    """What to scan and how; defaults are the product's calibrated defaults."""

    roots: tuple[str, ...]
    hash_kind: str = DEFAULT_HASH
    threshold: int | None = None  # None: the default for the hash
    hash_size: int = 8
    include_hidden: bool = False
    workers: int | None = None
    embeddings: bool = True  # False: hashes only (faster, finds only re-saved copies)
    tiers: frozenset[str] = DEFAULT_TIERS
    tier_thresholds: TierThresholds = DEFAULT_TIER_THRESHOLDS
    # RAW and JPEG of one shot are compared as duplicates (the RAW kept) instead of one unit.
    raw_jpeg_duplicates: bool = False
    verify: bool = True  # check every duplicate pair is one exposure (grouping/verify.py)
    dask: str | None = None  # decode on this Dask scheduler ("local": a LocalCluster); cluster.py

    def __post_init__(self) -> None:
        if self.hash_kind not in HASH_KINDS:
            raise ValueError(f"unknown hash {self.hash_kind!r}; choose one of {HASH_KINDS}")
        if self.hash_size not in (8, 16):
            raise ValueError("hash size must be 8 (64-bit hashes) or 16 (256-bit)")
        if self.threshold is None:
            object.__setattr__(self, "threshold", default_threshold(self.hash_kind, self.hash_size))
        if unknown := set(self.tiers) - set(TIERS):
            raise ValueError(f"unknown tier {sorted(unknown)}; choose from {TIERS}")
        bits = self.hash_size * self.hash_size
        if not 0 <= self.threshold <= bits:
            raise ValueError(f"threshold must be between 0 and {bits} for {bits}-bit hashes")


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic GC off while a scan builds its per-file values: they are hundreds of
    thousands of acyclic objects that live until the scan ends, and each full collection walks
    all of them (a warm rescan of 100k files: 6.5 s -> 5.1 s in-process). Turned back on only
    if this turned it off, so a pause elsewhere in the process (tasks/gc_pause.py) that overlaps
    it can shorten it but never leave the collector off. Also a decorator.

    After a block that ends normally, what exists is frozen out of the collector's reach
    (`gc.freeze`, as tasks/gc_pause.py does for a result) before it is turned back on: every
    object made while it was off is still in the youngest generation, so the first collections
    after would walk all of them, three times over as they age (a warm rescan of 500k files:
    ~2.5 s of collections right after the scan, for nothing: a scan's values are acyclic,
    freed by reference counting when the caller drops them; a warm rescan of 100k files leaves
    ~160 objects of cyclic garbage behind, which freezing keeps). Not after an exception: its
    traceback may hold a cycle through the scan's frames."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    except BaseException:
        if was_on:
            gc.enable()
        raise
    if was_on:
        gc.freeze()
        gc.enable()


@collector_paused()
def read(params: ScanParams, cache: Cache, progress: ProgressCallback | None = None,
         cancel: CancelToken | None = None) -> Library:
    """The signal stage of a scan with these parameters (see signals/read.py); it keeps the
    decodes verification will want within handoff.BUDGET when verifying (not on a Dask
    cluster: the pictures would cross the network)."""
    mapper = cluster_mapper(params.dask, params.workers) if params.dask else map_batches
    budget = handoff.BUDGET if params.verify and not params.dask else 0
    return read_library(params.roots, cache, hash_size=params.hash_size,
                        include_hidden=params.include_hidden, workers=params.workers,
                        embeddings=params.embeddings, mapper=mapper, progress=progress,
                        cancel=cancel, picture_budget=budget, workers_run=_worker_modules(params))


def _versions(params: ScanParams) -> str:
    """What the cached signals a grouping reads were made with, besides the files
    (basis_store.py: a file's values are the same while these and its stamps are)."""
    model = model_id() if params.embeddings else None
    return f"{model} {hash_algo_key(params.hash_size)} raw+jpeg={params.raw_jpeg_duplicates}"


def _worker_modules(params: ScanParams) -> tuple[str, ...]:
    """What this scan's local worker pools will run: none when a Dask cluster decodes."""
    if params.dask:
        return ()
    return WORKER_MODULES if params.verify else WORKER_MODULES[:1]


def run_scan(params: ScanParams, cache: Cache, progress: ProgressCallback | None = None,
             cancel: CancelToken | None = None) -> ScanResult:
    """Scan `params.roots` and return the duplicate groups, unreadable files and counts.
    "Not duplicates" decisions stored in `cache` (still valid for unchanged files) are respected."""
    started = time.perf_counter()
    library = read(params, cache, progress, cancel)
    return group_library(library, params, cache, started, progress, cancel, let_go=True)


@collector_paused()
def group_library(library: Library, params: ScanParams, cache: Cache, started: float,
                  progress: ProgressCallback | None = None,
                  cancel: CancelToken | None = None, *, let_go: bool = False) -> ScanResult:
    """The grouping stage on a library already read: groups, issues and counts. The signal
    stage's decoded pictures are let go once it is done (its verification's only). With
    `let_go` (a caller that reads the library for this scan only: run_scan), its signals map
    is let go too once the group files and hashes are made from it (Library.let_go_of_signals:
    500k files, ~0.2 GB less through the search and verification)."""
    issues = list(library.issues) + library.read_errors()
    units = capture_units(library, params)
    verdicts = StoredVerdicts(cache, FileStamps(library.files))
    scores = StoredScores(cache)
    group_files = group_files_of(library, units)
    hashes = compared_hashes(library, params.hash_kind)
    if let_go:
        library.let_go_of_signals()
    match, embeddings = match_params(params), library.vectors(np.float16)
    not_duplicates = Decisions(cache).pairs_for(library.files)
    memo = ResultMemo(cache)
    basis = BasisStore(cache, memo, match, not_duplicates, _versions(params))
    try:  # an unchanged library's groups come back from the memo (result_memo.py)
        key = memo.key(group_files, library.digests, hashes, embeddings, not_duplicates, match)
        remembered = memo.load(key, group_files)
        groups, series = remembered or group_and_series(
            group_files, library.digests, hashes, match=match, embeddings=embeddings,
            not_duplicates=not_duplicates, progress=progress, cancel=cancel,
            pictures=PictureCache(verdicts=verdicts, decoded=library.pictures),
            shot_scores=scores, store=PairStore(cache), verified_store=VerifiedStore(cache),
            basis=basis if key is not None else None)
    finally:
        library.pictures.release()
    if remembered is None:
        memo.save(key, group_files, groups, series)
        basis.save(key)
    report(progress, STAGE_COMPARE, 1, 1)
    verdicts.save()
    scores.save()
    files = len(library.files)
    stats = ScanStats(files=files, decoded=library.decoded, cached=files - library.decoded,
                      content_hashed=library.content_hashed,
                      failed=len(issues) - len(library.issues),
                      seconds=time.perf_counter() - started)
    rescue.shown(cache.path)  # a damaged cache's notice goes out with these warnings
    skipped = skipped_note(library.skipped)  # said once, beside the cache's warnings
    return ScanResult(groups, tuple(sorted(issues, key=lambda i: i.path)), stats,
                      (*cache.warnings, *([skipped] if skipped else [])), series)


def match_params(params: ScanParams) -> MatchParams:
    """How the grouping stage matches pairs, from the scan's parameters."""
    assert params.threshold is not None
    thresholds = replace(params.tier_thresholds, hash_distance=params.threshold)
    return MatchParams(params.hash_kind, params.threshold, params.hash_size, thresholds,
                       frozenset(params.tiers), params.verify)


def capture_units(library: Library, params: ScanParams) -> CaptureUnits:
    """The library's capture units (signals/companions.py): a RAW and its still pair up only
    where their capture times agree, when both are known."""
    return find_units(library.files, library.companions, library.readable_paths(),
                      library.captures, raw_jpeg_duplicates=params.raw_jpeg_duplicates)
