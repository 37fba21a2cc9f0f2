"""What the results list shows and searches per group, computed in one pass (no Qt), so the
worker can do it after a scan and opening 20,000 groups costs the UI thread almost nothing."""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from dedup_gui.engine.types import Group, reclaimable_bytes
from dedup_gui.tasks.tiers import Tier, group_tier


@dataclass(frozen=True, slots=True)
class GroupSummaries:
    tiers: list[Tier]
    folders: list[str]  # "a, b, c": the folders' names, for the Folder column
    search: list[str]  # every path of the group, case-folded, for the text filter
    groups_of_path: dict[str, list[int]]  # path -> the groups it is in
    sizes: dict[str, int]  # path -> bytes
    reclaim: list[int]  # bytes the proposed removals free, per group (reclaimable_bytes)


def folder_label(folders: Sequence[str]) -> str:
    names = sorted({os.path.basename(f) or f for f in folders})
    return ", ".join(names)


def summarise(groups: Sequence[Group],
              removals: Sequence[Collection[str]] | None = None) -> GroupSummaries:
    groups_of_path: dict[str, list[int]] = {}
    sizes: dict[str, int] = {}
    for index, group in enumerate(groups):
        for file in group.files:
            groups_of_path.setdefault(file.path, []).append(index)
            sizes[file.path] = file.size
    return GroupSummaries(
        [group_tier(g) for g in groups],
        [folder_label([os.path.dirname(f.path) for f in g.files]) for g in groups],
        ["\n".join(f.path for f in g.files).casefold() for g in groups],
        groups_of_path, sizes,
        [reclaimable_bytes([g], [paths]) for g, paths in zip(groups, removals, strict=True)]
        if removals else [0] * len(groups))
