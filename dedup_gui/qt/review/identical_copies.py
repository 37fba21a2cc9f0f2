"""Identical copies inside a group, for "Not duplicates" on the whole group.

Files with the same bytes are duplicates whatever their pictures show, so a person saying a
group's files are "not duplicates" means the different pictures in it; a first-user check
found N splitting a camera photo from its own byte copy too. PairDecisions.mark_apart says
apart every pair across two classes of identical bytes, and the copies stay a group.
"""

from __future__ import annotations

from collections.abc import Sequence

from dedup_gui.engine.tiers import IDENTICAL
from dedup_gui.engine.types import Group, GroupFile


def identical_classes(group: Group, files: Sequence[GroupFile]) -> list[list[GroupFile]]:
    """`files` (of `group`) in classes of identical bytes (linked by the group's identical
    pairs), largest first."""
    parent = {f.path: f.path for f in files}

    def root(path: str) -> str:
        while parent[path] != path:
            path = parent[path]
        return path

    for pair in group.pairs:
        if pair.tier == IDENTICAL and pair.a in parent and pair.b in parent:
            parent[root(pair.a)] = root(pair.b)
    classes: dict[str, list[GroupFile]] = {}
    for file in files:
        classes.setdefault(root(file.path), []).append(file)
    return sorted(classes.values(), key=len, reverse=True)


def apart_pairs(classes: Sequence[Sequence[GroupFile]]) -> list[tuple[GroupFile, GroupFile]]:
    """Every pair across two of `classes` (identical_classes): what "not duplicates" on the
    whole group means where it holds identical copies (they are duplicates whatever the
    pictures show: a first-user check found N on a group split them apart too). Empty when
    no two files are identical, or when all are."""
    if len(classes) < 2 or len(classes[0]) < 2:
        return []
    return [(x, y) for i, one in enumerate(classes) for other in classes[i + 1:]
            for x in one for y in other]
