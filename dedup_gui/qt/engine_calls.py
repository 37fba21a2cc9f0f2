"""Every engine call the app makes, in one place, each shaped as `call(progress, cancel)` for the
worker (or a plain function where it is quick). Engine modules are imported inside the calls so the
window shows before numpy, Pillow and the rest are loaded.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dedup_gui import paths
from dedup_gui.engine.progress import CancelToken, ProgressCallback, report
from dedup_gui.engine.types import Group, GroupFile, ScanResult

STAGE_DATES = "reading dates taken"


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    """A scan's result plus what the review screen starts from."""

    result: ScanResult
    removals: list[set[str]]  # per group: paths the rule chain proposes to remove
    reasons: list[str]  # per group: why the keeper won, in words
    dates: dict[str, int] = field(default_factory=dict)  # EXIF date taken, ns, where known
    protected_paths: frozenset[str] = frozenset()  # grouped files under a protected folder
    summaries: Any = None  # group_summaries.GroupSummaries, computed off the UI thread
    dates_read: bool = False  # every grouped file was looked at: no date in `dates` means none


def open_cache(path: str | None = None) -> Any:
    """The cache database: `path` (what the app chose: requests carry it to the engine process,
    whose environment may be older than the app's), else the configured one."""
    from dedup_gui.engine.cache import Cache

    return Cache(Path(path) if path else paths.cache_path())


def keep_chain(rule_dicts: Sequence[dict[str, Any]]) -> tuple[Any, ...]:
    """The settings' rule chain as engine Rules; the default chain if it does not parse."""
    from dedup_gui.engine.keep_rules import DEFAULT_CHAIN, Rule

    try:
        return tuple(Rule.from_dict(rule) for rule in rule_dicts) or DEFAULT_CHAIN
    except (KeyError, ValueError, TypeError):
        return DEFAULT_CHAIN


@dataclass(frozen=True, slots=True)
class ScanRequest:
    """Everything a scan needs, picklable: it travels to the engine process."""

    roots: tuple[str, ...]
    protected: tuple[str, ...]
    rule_dicts: tuple[dict, ...]
    hash_kind: str = "phash"
    threshold: int | None = None
    include_hidden: bool = False
    embeddings: bool = True
    similar_shots: bool = False
    cache_path: str = field(default_factory=lambda: str(paths.cache_path()))


def scan_outcome(request: ScanRequest, progress: ProgressCallback,
                 cancel: CancelToken) -> ScanOutcome:
    """run_scan, then dates taken, then the keeper proposals and the list's summaries."""
    from dedup_gui.engine.pipeline import ScanParams, run_scan
    from dedup_gui.engine.tiers import DEFAULT_TIERS, SIMILAR

    tiers = DEFAULT_TIERS | {SIMILAR} if request.similar_shots else DEFAULT_TIERS
    params = ScanParams(roots=request.roots, hash_kind=request.hash_kind,
                        threshold=request.threshold, include_hidden=request.include_hidden,
                        embeddings=request.embeddings, tiers=frozenset(tiers))
    cache = open_cache(request.cache_path)
    try:
        result = run_scan(params, cache, progress, cancel)
    finally:
        cache.close()
    return review_start(result, request.protected, request.rule_dicts, progress, cancel)


def in_process(function: Callable[..., Any], request: Any
               ) -> Callable[[ProgressCallback, CancelToken], Any]:
    """A worker call that runs `function(request, progress, cancel)` in the engine process."""
    from dedup_gui.qt.engine_process import run_in_process

    return functools.partial(run_in_process, function, request)


def scan_call(request: ScanRequest) -> Callable[[ProgressCallback, CancelToken], Any]:
    return in_process(scan_outcome, request)


def review_start(result: ScanResult, protected: Sequence[str], rule_dicts: Sequence[dict],
                 progress: ProgressCallback | None = None,
                 cancel: CancelToken | None = None) -> ScanOutcome:
    """Dates taken (only when a rule looks at dates) and the proposal for every group."""
    from dedup_gui.engine.keep_rules import RuleKind, propose

    chain = keep_chain(rule_dicts)
    wants_dates = any(r.kind in (RuleKind.OLDEST_DATE, RuleKind.NEWEST_DATE) for r in chain)
    dates = read_dates(result.groups, progress, cancel) if wants_dates else {}
    from dedup_gui.qt.group_summaries import summarise

    proposals = [propose(group, chain, protected, dates) for group in result.groups]
    removals = [set(p.remove) for p in proposals]
    return ScanOutcome(result, removals, [p.reason for p in proposals], dates,
                       frozenset(path for p in proposals for path in p.protected),
                       summarise(result.groups, removals), dates_read=wants_dates)


def read_dates(groups: Sequence[Group], progress: ProgressCallback | None = None,
               cancel: CancelToken | None = None) -> dict[str, int]:
    from dedup_gui.engine.keep_rules import read_taken_ns

    files = [f.path for g in groups for f in g.files]
    dates = {}
    for done, path in enumerate(files, start=1):
        if cancel is not None and done % 64 == 0:
            cancel.raise_if_cancelled()
        if (taken := read_taken_ns(path)) is not None:
            dates[path] = taken
        if done % 64 == 0 or done == len(files):
            report(progress, STAGE_DATES, done, len(files))
    return dates


def read_date_taken(path: str) -> int | None:
    from dedup_gui.engine.keep_rules import read_taken_ns

    return read_taken_ns(path)


# -- "not duplicates" -----------------------------------------------------------------------
def mark_not_duplicates(files: Sequence[GroupFile]) -> str | None:
    """Remember it in the cache database; None, or why it could not be saved."""
    return _with_decisions(lambda d: d.mark_not_duplicates(files))


def forget_not_duplicates(paths_: Sequence[str]) -> str | None:
    return _with_decisions(lambda d: d.forget(paths_))


def _with_decisions(change: Callable[[Any], bool]) -> str | None:
    from dedup_gui.engine.decisions import Decisions

    cache = open_cache()
    try:
        ok = change(Decisions(cache))
        return None if ok else "; ".join(cache.warnings) or "it could not be saved"
    finally:
        cache.close()


# -- find similar to this photo (query by example) -------------------------------------------
@dataclass(frozen=True, slots=True)
class SimilarRequest:
    path: str
    roots: tuple[str, ...]
    k: int = 24
    cache_path: str = field(default_factory=lambda: str(paths.cache_path()))


@dataclass(frozen=True, slots=True)
class SimilarPhoto:
    """One match, with the facts the compare view shows."""

    file: GroupFile
    distance: float  # cosine distance: 0 is the same picture, 1 nothing in common
    rank: int


@dataclass(frozen=True, slots=True)
class SimilarOutcome:
    query: GroupFile
    matches: list[SimilarPhoto]


def file_facts(path: str) -> GroupFile:
    """Size, mtime, oriented resolution and format of one image (a draft decode: cheap).
    Raises ImageLoadError (with a reason people can act on) or OSError."""
    from dedup_gui.engine.imageio import load_image

    stat = os.stat(path)
    loaded = load_image(path, min_side=1)
    return GroupFile(path, stat.st_size, stat.st_mtime_ns, loaded.width, loaded.height,
                     loaded.format)


def similar_photos(request: SimilarRequest, progress: ProgressCallback,
                   cancel: CancelToken) -> SimilarOutcome:
    """The `k` photos nearest to `path` in `roots`, best first (embeddings cached like a
    scan's, so a scanned library answers in about a second)."""
    from dedup_gui.engine.compare import query_similar
    from dedup_gui.engine.imageio import ImageLoadError

    query = file_facts(request.path)
    cache = open_cache(request.cache_path)
    try:
        found = query_similar(request.path, request.roots, cache, k=request.k,
                              progress=progress, cancel=cancel)
    finally:
        cache.close()
    matches = []
    for match in found:
        try:
            facts = file_facts(match.path)
        except (ImageLoadError, OSError):  # gone or changed since it was read: still listed
            facts = GroupFile(match.path, 0, 0, 0, 0, "")
        matches.append(SimilarPhoto(facts, match.score, match.rank))
    return SimilarOutcome(query, matches)


def find_similar_call(path: str, roots: Sequence[str], k: int = 24
                      ) -> Callable[[ProgressCallback, CancelToken], Any]:
    return in_process(similar_photos, SimilarRequest(path, tuple(roots), k))


# -- moving to the Trash, and undo -----------------------------------------------------------
def plan_removal(groups: Sequence[Group], marks: set[str], protected: Sequence[str]) -> Any:
    """The engine's RemovalPlan (count, total_bytes, files, refusals); touches no file."""
    from dedup_gui.engine.actions import plan_removal as engine_plan

    return engine_plan(groups, marks, protected)


@dataclass(frozen=True, slots=True)
class ActionOutcome:
    """Per-file outcomes of a trash or undo batch, plus journal warnings."""

    outcomes: list[Any]  # engine actions.Outcome: path, ok, reason
    warnings: list[str]

    @property
    def succeeded(self) -> set[str]:
        return {o.path for o in self.outcomes if o.ok}

    @property
    def failures(self) -> list[tuple[str, str]]:
        return [(o.path, o.reason) for o in self.outcomes if not o.ok]


def _with_journal(action: Callable[[Any], list[Any]]) -> ActionOutcome:
    from dedup_gui.engine.journal import Journal

    cache = open_cache()
    try:
        journal = Journal(cache)
        outcomes = action(journal)
        return ActionOutcome(outcomes, [*journal.warnings, *cache.warnings])
    finally:
        cache.close()


def trash_call(plan: Any) -> Callable[[ProgressCallback, CancelToken], ActionOutcome]:
    def call(progress: ProgressCallback, cancel: CancelToken) -> ActionOutcome:
        from dedup_gui.engine.actions import move_to_trash

        return _with_journal(lambda journal: move_to_trash(plan, journal, progress, cancel))

    return call


def undo_call(progress: ProgressCallback, _cancel: CancelToken) -> ActionOutcome:
    """Restore the newest batch still in the Trash (undo is not cancellable: it is short and
    stopping half-way would leave a batch split between the Trash and its folders)."""
    from dedup_gui.engine.actions import undo_last_batch

    return _with_journal(lambda journal: undo_last_batch(journal, progress))


def warm_up_call(_progress: ProgressCallback, _cancel: CancelToken) -> None:
    """Import what the in-process calls (journal, trash, undo) need while the app is idle.
    Left to the first such call, the import (sqlite-utils and its dependencies: 0.2 s, mostly
    holding the GIL) ran just as a scan's results were shown, part of a 200–300 ms UI stall."""
    import dedup_gui.engine.actions
    import dedup_gui.engine.journal  # noqa: F401


def can_undo_call(_progress: ProgressCallback, _cancel: CancelToken) -> bool:
    """Whether the journal holds a batch with files still in the Trash (from any session)."""
    from dedup_gui.engine.actions import undo_supported
    from dedup_gui.engine.journal import Journal, JournalError

    if not undo_supported():
        return False
    cache = open_cache()
    try:
        return Journal(cache).last_undoable() is not None
    except JournalError:
        return False
    finally:
        cache.close()
