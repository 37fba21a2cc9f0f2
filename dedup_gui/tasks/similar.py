"""Find similar to a photo (query by example) in the engine process, with the facts the compare
view shows for each match."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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
    from dedup_gui.engine.grouping.verify import PictureCache
    from dedup_gui.engine.signals.imageio import ImageLoadError

    query = file_facts(request.path)
    cache = open_cache(request.cache_path)
    try:
        found = query_similar(request.path, request.roots, cache, k=request.k,
                              progress=progress, cancel=cancel)
    finally:
        cache.close()
    matches, check = [], _Checker(request.path, PictureCache(), {})
    for done, match in enumerate(found):
        try:
            facts = file_facts(match.path)
        except (ImageLoadError, OSError):  # gone or changed since it was read: still listed
            facts = GroupFile(match.path, 0, 0, 0, 0, "")
        cancel.raise_if_cancelled()
        progress(ProgressEvent(STAGE_CHECK, done, len(found)))
        matches.append(SimilarPhoto(facts, match.score, match.rank, *check(match)))
    return SimilarOutcome(query, matches)


class _Checker:
    """The verdict on (query, match) where the match looks like a copy (cosine at least the
    "edited copy" tier's): a burst neighbour looks 98 % alike and is another moment. The
    query's picture is decoded once for all of them (`load`, `memo`)."""

    def __init__(self, query: str, load: Any, memo: dict) -> None:
        self.query, self.load, self.memo = query, load, memo

    def __call__(self, match: Any) -> tuple[bool, bool | None, str]:
        from dedup_gui.engine.grouping.pair_check import check_pair
        from dedup_gui.engine.tiers import DEFAULT_TIER_THRESHOLDS

        if 1.0 - match.score < DEFAULT_TIER_THRESHOLDS.edited_cosine:
            return False, None, ""
        verdict = check_pair(self.query, match.path, self.load, self.memo)
        return True, verdict.same, verdict.note


def find_similar_call(path: str, roots: Sequence[str], k: int = 24
                      ) -> Callable[[ProgressCallback, CancelToken], Any]:
    from dedup_gui.tasks.process import in_process

    return in_process(similar_photos, SimilarRequest(path, tuple(roots), k))
