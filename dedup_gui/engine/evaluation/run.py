"""Evaluate a scan against ground truth, and regroup cached signals under other settings.

Computing signals is the slow part of a scan; grouping them is fast. `prepare_library` computes
(or reads from the cache) every file's hashes and embedding once, `regroup` then runs only the
grouping stage, exactly as `run_scan` does, for any thresholds: that is what threshold
calibration sweeps. `evaluate_scan` runs the product's own scan stages (so "not duplicates"
decisions and every scan option apply) and reports it against a `Truth`, with the signals of
every wrong and missed pair.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

import numpy as np

from dedup_gui.engine.evaluation.report import Evidence, Report, evaluate, found_from_scan
from dedup_gui.engine.evaluation.truth import Truth, relative_to_root
from dedup_gui.engine.grouping.groups import group_files
from dedup_gui.engine.grouping.picture_cache import PictureCache
from dedup_gui.engine.grouping.verdict_store import FactsMemo
from dedup_gui.engine.pipeline import ScanParams, group_library, match_params, read
from dedup_gui.engine.progress import CancelToken, ProgressCallback
from dedup_gui.engine.signals import read as signals_read
from dedup_gui.engine.signals.group_inputs import group_file
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.tiers import IDENTICAL, classify
from dedup_gui.engine.types import Group, GroupFile, ImageSignals, ScanResult


@dataclass(frozen=True, slots=True)
class Library:
    """Every scanned file with its signals, and the names the truth uses for them."""

    root: str
    files: tuple[GroupFile, ...]
    digests: dict[str, str]
    signals: dict[str, ImageSignals]
    embeddings: dict[str, np.ndarray]
    names: dict[str, str]  # scanned path -> path relative to `root`
    # pictures and pixel verdicts of the verification stage, reused by every regroup
    pictures: PictureCache = field(default_factory=PictureCache)

    def path_of(self) -> dict[str, str]:
        return {name: path for path, name in self.names.items()}


def truth_root(roots: Sequence[str]) -> str:
    """The folder truth paths are relative to: the scanned folder, or with several, the
    folder they share."""
    folders = [os.path.abspath(r) if os.path.isdir(r) else os.path.dirname(os.path.abspath(r))
               for r in roots]
    return os.path.commonpath(folders)


def prepare_library(params: ScanParams, cache: Cache, progress: ProgressCallback | None = None,
                    cancel: CancelToken | None = None) -> Library:
    """Signals of every file under `params.roots`, computed once (cached like a scan's); its
    pictures know the per-picture facts the signal stage found (verdict_store.FactsMemo)."""
    return _library(read(params, cache, progress, cancel), params, cache)


def _library(read_: signals_read.Library, params: ScanParams, cache: Cache | None = None
             ) -> Library:
    files = tuple(group_file(entry, read_.signals.get(entry.path),
                             read_.captures.get(entry.path)) for entry in read_.files)
    root = truth_root(params.roots)
    pictures = PictureCache(decoded=read_.pictures) if cache is None else PictureCache(
        verdicts=FactsMemo(cache, {f.path: (f.size, f.mtime_ns) for f in read_.files}),
        decoded=read_.pictures)
    return Library(root, files, read_.digests, read_.readable(), read_.vectors(),
                   relative_to_root((f.path for f in files), root), pictures)


def regroup(library: Library, params: ScanParams,
            not_duplicates: Collection[tuple[str, str]] = frozenset()) -> tuple[Group, ...]:
    """The groups `run_scan(params)` would give on these signals (only the grouping runs)."""
    hashes = {p: s.hashes[params.hash_kind] for p, s in library.signals.items()}
    embeddings = library.embeddings if params.embeddings else {}
    return group_files(library.files, library.digests, hashes, match=match_params(params),
                       embeddings=embeddings, not_duplicates=not_duplicates,
                       pictures=library.pictures)


def evidence_of(library: Library, params: ScanParams) -> Callable[[str, str], Evidence]:
    """A function giving, for two truth names, the tier their signals reach under `params`
    (None: no match) with the hash distance and cosine."""
    path_of = library.path_of()
    thresholds = match_params(params).thresholds

    def lookup(a: str, b: str) -> Evidence:
        pa, pb = path_of.get(a), path_of.get(b)
        if pa is None or pb is None:
            return Evidence()
        if library.digests.get(pa) is not None and library.digests.get(pa) == \
                library.digests.get(pb):
            return Evidence(IDENTICAL, 0, None)
        sa, sb = library.signals.get(pa), library.signals.get(pb)
        distance = None
        if sa is not None and sb is not None:
            distance = (sa.hashes[params.hash_kind] ^ sb.hashes[params.hash_kind]).bit_count()
        ea, eb = library.embeddings.get(pa), library.embeddings.get(pb)
        cosine = float(np.dot(ea, eb)) if params.embeddings and ea is not None \
            and eb is not None else None
        edge = classify(distance, cosine, thresholds)
        return Evidence(edge.tier if edge else None, distance, cosine)

    return lookup


def report_for(groups: Sequence[Group], library: Library, truth: Truth,
               params: ScanParams) -> Report:
    """The evaluation report of a scan's (or regrouped) groups of `library`."""
    found = found_from_scan(groups, library.names)
    return evaluate(found, truth, library.names.values(), evidence_of(library, params))


def evaluate_scan(params: ScanParams, truth: Truth, cache: Cache,
                  progress: ProgressCallback | None = None,
                  cancel: CancelToken | None = None) -> tuple[ScanResult, Report]:
    """Scan with the product's own pipeline and report the result against `truth`. The
    library is read once: the scan groups it, the report looks up its signals."""
    started = time.perf_counter()
    read_ = read(params, cache, progress, cancel)
    result = group_library(read_, params, cache, started, progress, cancel)
    return result, report_for(result.groups, _library(read_, params), truth, params)
