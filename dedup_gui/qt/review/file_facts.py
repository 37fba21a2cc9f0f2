"""The facts a person compares to choose a keeper, per file of a group, and which value is best.

A fact is starred only when it decided the keeper (the keeper rule that set the keeper apart
names it) and only where files differ. Dates are the EXIF date taken when known, else the file's
modification time. Each file also says how it matched: the engine's evidence for its pair with
the keeper, or for its closest pair when it is in the group through the others.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dedup_gui.engine.types import Group, GroupFile
from dedup_gui.text import human_bytes, human_date

RESOLUTION, SIZE, DATE = "resolution", "size", "date"


@dataclass(frozen=True, slots=True)
class FileFacts:
    path: str
    name: str
    folder: str
    resolution: str
    size: str
    format: str
    date: str  # "Taken 2021-05-02 10:00" or "Modified …"
    best: frozenset[str]  # which of RESOLUTION, SIZE, DATE decided the keeper, and won here
    match: str = ""  # how it matched: "keeper (largest file)", "same picture re-saved (…)"


def _date(file: GroupFile, taken_ns: int | None) -> tuple[int, str]:
    if taken_ns is not None:
        return taken_ns, f"Taken {human_date(taken_ns / 1e9)}"
    return file.mtime_ns, f"Modified {human_date(file.mtime_ns / 1e9)}"


def _best(values: Sequence[float]) -> set[int]:
    """Indexes holding the smallest value, unless every value is the same."""
    if len(set(values)) <= 1:
        return set()
    low = min(values)
    return {i for i, v in enumerate(values) if v == low}


# The fact each keeper rule looks at (keep_rules' labels, lower case as in the reasons).
DECIDING_FACT = {"highest resolution": RESOLUTION, "largest file": SIZE,
                 "oldest date": DATE, "newest date": DATE}


def match_text(group: Group | None, path: str, keepers: frozenset[str], reason: str) -> str:
    """How `path` is in the group, in the engine's words with its numbers."""
    if group is None:
        return ""
    if path in keepers:
        return f"the keeper ({reason})" if reason else "the keeper"
    pairs = [p for p in group.pairs if path in (p.a, p.b)]
    to_keeper = [p for p in pairs if ({p.a, p.b} - {path}) & keepers]
    if to_keeper:
        return min(to_keeper, key=lambda p: (p.distance, p.a, p.b)).reason
    closest = min(pairs, key=lambda p: (p.distance, p.a, p.b), default=None)
    return f"through the group: {closest.reason}" if closest else "linked through the group"


def group_facts(files: Sequence[GroupFile], taken: Callable[[GroupFile], int | None],
                group: Group | None = None, keepers: frozenset[str] = frozenset(),
                reason: str = "") -> list[FileFacts]:
    """Facts per file; `reason` is the keeper rule that decided (the only fact starred)."""
    dates = [_date(f, taken(f)) for f in files]
    decided = DECIDING_FACT.get(reason)
    best = {
        RESOLUTION: _best([-(f.width * f.height) for f in files]),
        SIZE: _best([-f.size for f in files]),
        DATE: _best([d[0] if reason != "newest date" else -d[0] for d in dates]),
    }
    best = {fact: winners for fact, winners in best.items() if fact == decided}
    result = []
    for i, (file, (_, date)) in enumerate(zip(files, dates, strict=True)):
        resolution = f"{file.width} × {file.height}" if file.width else "unreadable"
        result.append(FileFacts(
            file.path, os.path.basename(file.path), os.path.dirname(file.path), resolution,
            human_bytes(file.size), file.format or "?", date,
            frozenset(name for name, winners in best.items() if i in winners),
            match_text(group, file.path, keepers, reason)))
    return result
