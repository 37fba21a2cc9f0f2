"""run_scan: folders -> files -> exact copies -> signals (cached) -> groups.

The one entry point both front ends call. Every stage reports progress and honours the cancel
token; cache writes happen in small transactions as results arrive, so a cancel or a crash keeps
everything computed so far and the cache consistent.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from dedup_gui.engine.cache import Cache
from dedup_gui.engine.decisions import Decisions
from dedup_gui.engine.embedding import from_blob, model_id
from dedup_gui.engine.exact import find_content_hashes
from dedup_gui.engine.grouping import MatchParams, group_files
from dedup_gui.engine.progress import CancelToken, ProgressCallback
from dedup_gui.engine.scanner import discover
from dedup_gui.engine.signals import SignalJob, collect_signals
from dedup_gui.engine.tiers import DEFAULT_TIER_THRESHOLDS, DEFAULT_TIERS, TIERS, TierThresholds
from dedup_gui.engine.types import (
    HASH_KINDS,
    FileEntry,
    GroupFile,
    ImageSignals,
    Issue,
    ScanResult,
    ScanStats,
)

DEFAULT_HASH = "phash"
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


def run_scan(params: ScanParams, cache: Cache, progress: ProgressCallback | None = None,
             cancel: CancelToken | None = None) -> ScanResult:
    """Scan `params.roots` and return the duplicate groups, unreadable files and counts.
    "Not duplicates" decisions stored in `cache` (still valid for unchanged files) are respected."""
    started = time.perf_counter()
    found = discover(params.roots, include_hidden=params.include_hidden,
                     progress=progress, cancel=cancel)
    digests, hashed = find_content_hashes(found.files, cache, progress, cancel)
    model = model_id() if params.embeddings else None
    job = SignalJob(found.files, digests, params.hash_size, params.workers, model)
    collected = collect_signals(job, cache, progress, cancel)
    signals, decoded = collected.signals, collected.decoded
    issues = list(found.issues) + _read_errors(found.files, signals)
    groups = group_files(_group_files(found.files, signals), digests, _hashes(signals, params),
                         match=match_params(params),
                         embeddings={p: from_blob(b) for p, b in collected.embeddings.items()},
                         not_duplicates=Decisions(cache).pairs_for(found.files),
                         progress=progress, cancel=cancel)
    stats = ScanStats(files=len(found.files), decoded=decoded,
                      cached=len(found.files) - decoded, content_hashed=hashed,
                      failed=len(issues) - len(found.issues),
                      seconds=time.perf_counter() - started)
    return ScanResult(groups, tuple(sorted(issues, key=lambda i: i.path)), stats,
                      tuple(cache.warnings))


def match_params(params: ScanParams) -> MatchParams:
    """How the grouping stage matches pairs, from the scan's parameters."""
    assert params.threshold is not None
    thresholds = replace(params.tier_thresholds, hash_distance=params.threshold)
    return MatchParams(params.hash_kind, params.threshold, params.hash_size, thresholds,
                       frozenset(params.tiers))


def _read_errors(files: Sequence[FileEntry], signals: Mapping[str, ImageSignals | str]
                 ) -> list[Issue]:
    return [Issue(f.path, value) for f in files
            if isinstance(value := signals.get(f.path), str)]


def _group_files(files: Sequence[FileEntry], signals: Mapping[str, ImageSignals | str]
                 ) -> list[GroupFile]:
    """Facts per file for the groups; unreadable files join only as exact copies."""
    result = []
    for entry in files:
        value = signals.get(entry.path)
        if isinstance(value, ImageSignals):
            result.append(GroupFile(entry.path, entry.size, entry.mtime_ns, value.width,
                                    value.height, value.format))
        else:
            result.append(GroupFile(entry.path, entry.size, entry.mtime_ns, 0, 0, ""))
    return result


def _hashes(signals: Mapping[str, ImageSignals | str], params: ScanParams) -> dict[str, int]:
    return {path: value.hashes[params.hash_kind] for path, value in signals.items()
            if isinstance(value, ImageSignals)}
