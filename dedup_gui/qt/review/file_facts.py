"""The facts a person compares to choose a keeper, per file of a group, and which value is best.

A fact is highlighted only where files differ: when all copies have the same size, no size is
"best". Dates are the EXIF date taken when known, else the file's modification time.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dedup_gui.engine.types import GroupFile
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
    best: frozenset[str]  # which of RESOLUTION, SIZE, DATE are the group's best
    origin: str = ""  # how the file relates to the others: "original", "screenshot of …"


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


def group_facts(files: Sequence[GroupFile], taken: Callable[[GroupFile], int | None],
                origin: Callable[[GroupFile], str] = lambda _file: "") -> list[FileFacts]:
    """The cards' facts; `origin` gives a file's provenance label ('' when not known)."""
    dates = [_date(f, taken(f)) for f in files]
    best = {
        RESOLUTION: _best([-(f.width * f.height) for f in files]),
        SIZE: _best([-f.size for f in files]),
        DATE: _best([d[0] for d in dates]),
    }
    result = []
    for i, (file, (_, date)) in enumerate(zip(files, dates, strict=True)):
        resolution = f"{file.width} × {file.height}" if file.width else "unreadable"
        result.append(FileFacts(
            file.path, os.path.basename(file.path), os.path.dirname(file.path), resolution,
            human_bytes(file.size), file.format or "?", date,
            frozenset(name for name, winners in best.items() if i in winners), origin(file)))
    return result
