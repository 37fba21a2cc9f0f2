"""Find similar to a photo (query by example) in the engine process, with the facts the compare
view shows for each match."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from dedup_gui import paths
from dedup_gui.engine.progress import CancelToken, ProgressCallback
from dedup_gui.engine.types import GroupFile
from dedup_gui.tasks.cache import open_cache


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
    from dedup_gui.engine.signals.imageio import load_image

    stat = os.stat(path)
    loaded = load_image(path, min_side=1)
    return GroupFile(path, stat.st_size, stat.st_mtime_ns, loaded.width, loaded.height,
                     loaded.format)


def similar_photos(request: SimilarRequest, progress: ProgressCallback,
                   cancel: CancelToken) -> SimilarOutcome:
    """The `k` photos nearest to `path` in `roots`, best first (embeddings cached like a
    scan's, so a scanned library answers in about a second)."""
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
    return SimilarOutcome(query, matches)


def find_similar_call(path: str, roots: Sequence[str], k: int = 24
                      ) -> Callable[[ProgressCallback, CancelToken], Any]:
    from dedup_gui.tasks.process import in_process

    return in_process(similar_photos, SimilarRequest(path, tuple(roots), k))
