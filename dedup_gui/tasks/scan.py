"""The app's scan: its settings turned into the engine's ScanParams (the one place the app does
that), run_scan in the engine process, then what the review starts from (keeper proposals, dates
taken, the list's summaries). Engine modules load inside the calls, so the window shows first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dedup_gui import paths
from dedup_gui.engine.progress import CancelToken, ProgressCallback, report
from dedup_gui.engine.types import Group, ScanResult
from dedup_gui.tasks.cache import open_cache
from dedup_gui.tasks.session import session_path

STAGE_DATES = "reading dates taken"


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    """A scan's result plus what the review screen starts from."""

    result: ScanResult
    removals: list[set[str]]  # per group: paths the rule chain proposes to remove
    reasons: list[str]  # per group: why the keeper won, in words
    dates: dict[str, int] = field(default_factory=dict)  # EXIF date taken, ns, where known
    protected_paths: frozenset[str] = frozenset()  # grouped files under a protected folder
    summaries: Any = None  # tasks.summaries.GroupSummaries, computed off the UI thread
    dates_read: bool = False  # every grouped file was looked at: no date in `dates` means none
    provenance: dict[str, Any] = field(default_factory=dict)  # path -> Provenance (its label)


def keep_chain(rule_dicts: Sequence[dict[str, Any]]) -> tuple[Any, ...]:
    """The settings' rule chain as engine Rules; the default chain if it does not parse."""
    from dedup_gui.engine.actions.keep_rules import DEFAULT_CHAIN, Rule

    try:
        return tuple(Rule.from_dict(rule) for rule in rule_dicts) or DEFAULT_CHAIN
    except (KeyError, ValueError, TypeError):
        return DEFAULT_CHAIN


@dataclass(frozen=True, slots=True)
class ScanSettings:
    """The folders and the app's scan options, picklable. `params()` is the one place where the
    app turns them into the engine's ScanParams (scans and insights alike)."""

    roots: tuple[str, ...]
    hash_kind: str = "phash"
    threshold: int | None = None
    include_hidden: bool = False
    embeddings: bool = True
    similar_shots: bool = False
    raw_jpeg_duplicates: bool = False  # RAW + JPEG of one shot compared, the RAW kept

    @classmethod
    def of(cls, roots: Sequence[str], options: Any) -> ScanSettings:
        """From the app's Settings (or anything with the same attributes)."""
        return cls(tuple(roots), options.hash_kind, options.threshold, options.include_hidden,
                   options.embeddings, options.similar_shots,
                   getattr(options, "raw_jpeg_duplicates", False))

    def params(self) -> Any:
        """The engine's ScanParams: the default tiers, plus similar shots when asked."""
        from dedup_gui.engine.pipeline import ScanParams
        from dedup_gui.engine.tiers import DEFAULT_TIERS, SIMILAR

        tiers = DEFAULT_TIERS | {SIMILAR} if self.similar_shots else DEFAULT_TIERS
        return ScanParams(roots=self.roots, hash_kind=self.hash_kind, threshold=self.threshold,
                          include_hidden=self.include_hidden, embeddings=self.embeddings,
                          tiers=frozenset(tiers), raw_jpeg_duplicates=self.raw_jpeg_duplicates)


@dataclass(frozen=True, slots=True)
class ScanRequest:
    """Everything a scan needs, picklable: it travels to the engine process."""

    settings: ScanSettings
    protected: tuple[str, ...]
    rule_dicts: tuple[dict, ...]
    cache_path: str = field(default_factory=lambda: str(paths.cache_path()))
    # where the results are saved for the next start (the app's choice, carried like the cache's)
    session_path: str | None = field(default_factory=lambda: str(session_path()))


def scan_outcome(request: ScanRequest, progress: ProgressCallback,
                 cancel: CancelToken) -> ScanOutcome:
    """run_scan, then dates taken, then the keeper proposals and the list's summaries."""
    from dedup_gui.engine.pipeline import run_scan

    cache = open_cache(request.cache_path)
    try:
        result = run_scan(request.settings.params(), cache, progress, cancel)
    finally:
        cache.close()
    rules = keeper_rules(request.rule_dicts, request.settings.raw_jpeg_duplicates)
    outcome = review_start(result, request.protected, rules, progress, cancel,
                           cache_path=request.cache_path)
    if request.session_path:  # the app reopens these results after a restart or a crash;
        # saved here, in the engine process, so the window never waits for it
        from dedup_gui.tasks.session import Session, save_session

        save_session(Session(outcome, [set(r) for r in outcome.removals]),
                     Path(request.session_path))
    return outcome


def keeper_rules(rule_dicts: Sequence[dict], raw_jpeg_duplicates: bool) -> tuple[dict, ...]:
    """The settings' rule chain; when RAW and JPEG of a shot are compared as duplicates, a RAW
    format comes first, so the RAW is the one proposed to keep (what that option is for)."""
    if not raw_jpeg_duplicates:
        return tuple(rule_dicts)
    from dedup_gui.engine.signals.companions import RAW_EXTENSIONS

    formats = ["RAW", *sorted(ext[1:].upper() for ext in RAW_EXTENSIONS)]
    return ({"kind": "preferred format", "formats": formats, "text": ""}, *rule_dicts)


def scan_call(request: ScanRequest) -> Callable[[ProgressCallback, CancelToken], Any]:
    from dedup_gui.tasks.process import in_process

    return in_process(scan_outcome, request)


def review_start(result: ScanResult, protected: Sequence[str], rule_dicts: Sequence[dict],
                 progress: ProgressCallback | None = None,
                 cancel: CancelToken | None = None,
                 gone: frozenset[str] = frozenset(), *,
                 provenance: dict[str, Any] | None = None,
                 cache_path: str | None = None) -> ScanOutcome:
    """Dates taken (only when a rule looks at dates), how each copy was made (only when the
    "most original" rule is on; an earlier outcome's `provenance` is reused: it does not
    depend on the rules) and the proposal for every group. Files in `gone` (already moved to
    the Trash) are neither kept nor marked: each group's keeper is one of its files still in
    place."""
    from dedup_gui.engine.actions.keep_rules import RuleKind, propose
    from dedup_gui.engine.actions.provenance_marks import relabel_all
    from dedup_gui.engine.actions.series_shots import series_by_exposure

    chain = keep_chain(rule_dicts)
    wants_dates = any(r.kind in (RuleKind.OLDEST_DATE, RuleKind.NEWEST_DATE) for r in chain)
    dates = read_dates(result.groups, progress, cancel) if wants_dates else {}
    if not provenance and any(r.kind is RuleKind.MOST_ORIGINAL for r in chain):
        provenance = read_origins(result.groups, cache_path, progress, cancel)
    provenance = provenance or {}
    from dedup_gui.tasks.summaries import summarise

    proposals = [propose(in_place(group, gone), chain, protected, dates, provenance or None)
                 for group in result.groups]
    removals = [set(p.remove) for p in proposals]
    labelled = relabel_all(result.groups, provenance, [p.chosen for p in proposals])
    shots = series_by_exposure(result.series, result.groups, [p.keep for p in proposals])
    if shots != result.series:  # the same result object when nothing changes (repropose)
        result = replace(result, series=shots)
    return ScanOutcome(result, removals, [p.reason for p in proposals], dates,
                       frozenset(path for p in proposals for path in p.protected),
                       summarise(result.groups, removals), dates_read=wants_dates,
                       provenance=labelled)


def read_origins(groups: Sequence[Group], cache_path: str | None = None,
                 progress: ProgressCallback | None = None,
                 cancel: CancelToken | None = None) -> dict[str, Any]:
    """path -> Provenance of every grouped file, from the cache where still valid (a warm
    rescan decodes nothing), assessed on all cores with progress; a cancel stops it."""
    from dedup_gui.engine.actions.proposals import provenance_of

    cache = open_cache(cache_path) if cache_path else None
    try:
        return provenance_of(groups, cache, progress, cancel)
    finally:
        if cache is not None:
            cache.close()


def in_place(group: Group, gone: frozenset[str]) -> Group:
    """The group without its files in `gone` (all of them if none would be left)."""
    files = tuple(f for f in group.files if f.path not in gone)
    if not gone or len(files) == len(group.files) or not files:
        return group
    paths = {f.path for f in files}
    return Group(files, tuple(p for p in group.pairs if p.a in paths and p.b in paths))


def read_dates(groups: Sequence[Group], progress: ProgressCallback | None = None,
               cancel: CancelToken | None = None) -> dict[str, int]:
    """Dates taken: the scan's cached captures, reading only files that have none (a result
    from an older engine, or a caller that built groups itself)."""
    from dedup_gui.engine.actions.taken_dates import capture_dates, read_taken_ns

    dates, files = capture_dates(groups)
    for done, path in enumerate(files, start=1):
        if cancel is not None and done % 64 == 0:
            cancel.raise_if_cancelled()
        if (taken := read_taken_ns(path)) is not None:
            dates[path] = taken
        if done % 64 == 0 or done == len(files):
            report(progress, STAGE_DATES, done, len(files))
    return dates


def read_date_taken(path: str) -> int | None:
    from dedup_gui.engine.actions.taken_dates import read_taken_ns

    return read_taken_ns(path)
