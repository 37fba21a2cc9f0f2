"""A results file read back as the engine's own objects, so File ▸ Open results shows it again
as it was saved: the groups and their evidence, the person's marks and decisions (format 3),
or, from an older file, whatever it holds (format 2 with keepers: the marks; format 1: none).

Files carry only what the JSON says: no capture data (dates are read again where a keeper rule
needs them) and the size and mtime the scan saw, so the re-check on opening drops any file that
changed since it was saved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dedup_gui.engine.export.results import read_results_json
from dedup_gui.engine.pathtext import path_from
from dedup_gui.engine.types import Group, GroupFile, Issue, Pair, ScanResult, ScanStats, Series


@dataclass(slots=True)
class SavedResults:
    """What a results file holds, per group index (0-based) where it is per group. `marks`:
    None for a group saved without keep/remove marks (older files)."""

    result: ScanResult
    marks: list[set[str] | None]
    reasons: list[str]
    labels: dict[str, str] = field(default_factory=dict)  # path -> origin ("screenshot of…")
    dismissed: set[int] = field(default_factory=set)
    opened: set[int] = field(default_factory=set)
    moved: set[str] = field(default_factory=set)
    roots: list[str] = field(default_factory=list)


class ResultsFileError(ValueError):
    """The file is not a results file this version can read."""


def load_results(path: Path) -> SavedResults:
    """Read `path` (strict UTF-8 JSON, exact paths) into SavedResults; ResultsFileError when it
    is not a dedup-gui results file (OSError when it cannot be read at all)."""
    try:
        data = read_results_json(path)
        return saved_results(data)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ResultsFileError(f"{Path(path).name} is not a dedup-gui results file "
                               f"({type(error).__name__}: {error})") from error


def saved_results(data: dict[str, Any]) -> SavedResults:
    """The objects of a results file already read by read_results_json."""
    groups = [group_of(g) for g in data["groups"]]
    saved = SavedResults(
        ScanResult(tuple(groups), tuple(Issue(i["path"], i["reason"]) for i in data["issues"]),
                   ScanStats(files=int(data.get("summary", {}).get("files", 0))),
                   tuple(data.get("warnings", ())),
                   tuple(series_of(s) for s in data.get("similar_series", ()))),
        [marks_of(g) for g in data["groups"]], [g.get("keeper_reason", "") for g in data["groups"]],
        roots=list(data.get("params", {}).get("roots", ())))
    for index, record in enumerate(data["groups"]):
        if record.get("dismissed"):
            saved.dismissed.add(index)
        if record.get("opened"):
            saved.opened.add(index)
        for file in record["files"]:
            if file.get("origin"):
                saved.labels[file["path"]] = file["origin"]
            if file.get("moved"):
                saved.moved.add(file["path"])
    return saved


def marks_of(record: dict[str, Any]) -> set[str] | None:
    files = record["files"]
    if not files or any("keep" not in f for f in files):
        return None
    return {f["path"] for f in files if not f["keep"]}


def file_of(record: dict[str, Any]) -> GroupFile:
    mtime_ns = record.get("mtime_ns")
    if mtime_ns is None:  # format 1: the ISO time, to the second
        mtime_ns = int(dt.datetime.fromisoformat(record["mtime"]).timestamp()) * 10**9
    return GroupFile(record["path"], int(record["size"]), int(mtime_ns), int(record["width"]),
                     int(record["height"]), str(record["format"]),
                     companions=tuple(record.get("companions", ())))


def pair_of(record: dict[str, Any]) -> Pair:
    return Pair(record["a"], record["b"], record["reason"], int(record["distance"]),
                record.get("tier", "resaved"), record.get("cosine"))


def group_of(record: dict[str, Any]) -> Group:
    return Group(tuple(file_of(f) for f in record["files"]),
                 tuple(pair_of(p) for p in record["pairs"]))


def series_of(record: dict[str, Any]) -> Series:
    """A similar-shot series (read_results_json leaves its paths as written: made exact here)."""
    files = [{**f, "path": path_from(f, "path")} for f in record["files"]]
    pairs = [{**p, "a": path_from(p, "a"), "b": path_from(p, "b")} for p in record["pairs"]]
    return Series(tuple(file_of(f) for f in files), tuple(pair_of(p) for p in pairs),
                  path_from(record, "best"), record.get("best_reason", ""),
                  record.get("bracket", ""))
