"""Find similar to a photo (query by example) in the engine process, with the facts the compare
view shows for each match."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from dedup_gui import paths
from dedup_gui.engine.progress import CancelToken, ProgressCallback, ProgressEvent
from dedup_gui.engine.types import GroupFile
from dedup_gui.tasks.cache import open_cache

STAGE_CHECK = "checking the closest matches"


@dataclass(frozen=True, slots=True)
class SimilarRequest:
    path: str
    roots: tuple[str, ...]
    k: int = 24
    cache_path: str = field(default_factory=lambda: str(paths.cache_path()))


@dataclass(frozen=True, slots=True)
class SimilarPhoto:
    """One match, with the facts the compare view shows, and, for a match alike enough to be a
    copy (`checked`), the scan's verdict on the pair: the same photo (True), another shot or
    picture (False) or undecided (None), with its evidence."""

    file: GroupFile
    distance: float  # cosine distance: 0 is the same picture, 1 nothing in common
    rank: int
    checked: bool = False
    same: bool | None = None
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class SimilarOutcome:
    query: GroupFile
    matches: list[SimilarPhoto]


def file_facts(path: str) -> GroupFile:
    """Size, mtime, oriented resolution and format of one image (a draft decode: cheap), its
    capture metadata and its capture unit's other files (one_unit.py: "Add to group" makes it
    a group member, and a member travels to the Trash with its RAW and sidecars). Raises
    ImageLoadError (with a reason people can act on) or OSError."""
    from dedup_gui.engine.signals.imageio import load_image
    from dedup_gui.engine.signals.one_unit import unit_of

    stat = os.stat(path)
    loaded = load_image(path, min_side=1)
    companions, capture = unit_of(path)
    return GroupFile(path, stat.st_size, stat.st_mtime_ns, loaded.width, loaded.height,
                     loaded.format, capture, companions)


def similar_photos(request: SimilarRequest, progress: ProgressCallback,
                   cancel: CancelToken) -> SimilarOutcome:
    """The `k` photos nearest to `path` in `roots`, best first (embeddings cached like a
    scan's, so a scanned library answers in about a second); those alike enough to be copies
    are checked as a scan checks a pair (engine/grouping/pair_check.py)."""
    from dedup_gui.engine.compare import query_similar
    from dedup_gui.engine.signals.imageio import ImageLoadError

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
    return SimilarOutcome(query, _checked(request.path, matches, progress, cancel))


def _checked(query: str, matches: list[SimilarPhoto], progress: ProgressCallback,
             cancel: CancelToken) -> list[SimilarPhoto]:
    """The matches, each alike enough to be a copy (cosine at least the "edited copy" tier's:
    a burst neighbour looks 98 % alike and is another moment) with the engine's verdict
    (engine/grouping/pair_check.py); one still undecided is then compared with the matches
    whose capture decided, nearest first: a re-save of a neighbouring frame is that frame's
    exposure."""
    from dedup_gui.engine.grouping.pair_check import PairChecker
    from dedup_gui.engine.tiers import DEFAULT_TIER_THRESHOLDS

    checker = PairChecker(query)
    alike = {m.file.path: m.distance for m in matches
             if 1.0 - m.distance >= DEFAULT_TIER_THRESHOLDS.edited_cosine}
    verdicts = {}
    for done, path in enumerate(alike):
        cancel.raise_if_cancelled()
        progress(ProgressEvent(STAGE_CHECK, done, len(alike)))
        verdicts[path] = checker.check(path)
    captured = [p for p in alike if checker.by_capture(p).same is not None]
    for path, distance in alike.items():
        if verdicts[path].same is None and captured:
            cancel.raise_if_cancelled()
            nearest = sorted(captured, key=lambda p: abs(alike[p] - distance))
            verdicts[path] = checker.through_copies(path, nearest) or verdicts[path]
    return [replace(m, checked=True, same=v.same, evidence=v.note)
            if (v := verdicts.get(m.file.path)) is not None else m for m in matches]


def find_similar_call(path: str, roots: Sequence[str], k: int = 24
                      ) -> Callable[[ProgressCallback, CancelToken], Any]:
    from dedup_gui.tasks.process import in_process

    return in_process(similar_photos, SimilarRequest(path, tuple(roots), k))
