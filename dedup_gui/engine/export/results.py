"""Scan results as JSON and CSV, for scripts and for the GUI's "Export" (same format both ways).

Each file says why it is in its group: the reason of its closest match in the group
("identical bytes" or "phash distance 3"). With `Keepers` (the keeper proposal), each file also
says whether it is kept (`keep`) and how it was made (`origin`: "original", "screenshot of
another member", ...), and each group why its keeper was chosen (`keeper_reason`).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from dedup_gui.engine.types import Group, GroupFile, ScanResult

JSON_FORMAT_VERSION = 1
CSV_COLUMNS = ("group", "path", "size", "width", "height", "format", "mtime", "match")
KEEPER_COLUMNS = ("keep", "origin", "keeper_reason")


@dataclass(frozen=True, slots=True)
class Keepers:
    """The keeper proposal of every group (index-aligned with the result's groups): the paths
    marked for removal, why the keeper won, and each file's provenance label."""

    removals: Sequence[Iterable[str]]
    reasons: Sequence[str]
    labels: Mapping[str, str] = field(default_factory=dict)

    def file_fields(self, index: int, path: str) -> dict[str, Any]:
        return {"keep": path not in set(self.removals[index]),
                "origin": self.labels.get(path, "")}


def closest_match(group: Group, path: str) -> str:
    """The reason of the closest pair in `group` that involves `path`."""
    pairs = [p for p in group.pairs if path in (p.a, p.b)]
    best = min(pairs, key=lambda p: (p.distance, p.a, p.b), default=None)
    return best.reason if best else ""


def _iso(mtime_ns: int) -> str:
    return dt.datetime.fromtimestamp(mtime_ns / 1e9).astimezone().isoformat(timespec="seconds")


def file_record(group: Group, file: GroupFile) -> dict[str, Any]:
    return {"path": file.path, "size": file.size, "width": file.width, "height": file.height,
            "format": file.format, "mtime": _iso(file.mtime_ns), "mtime_ns": file.mtime_ns,
            "match": closest_match(group, file.path)}


def summary(result: ScanResult) -> dict[str, int]:
    return {
        "files": result.stats.files,
        "groups": len(result.groups),
        "files_in_groups": sum(len(g.files) for g in result.groups),
        "reclaimable_bytes": sum(g.reclaimable_bytes for g in result.groups),
        "unreadable": len(result.issues),
    }


def to_json_dict(result: ScanResult, params: dict[str, Any] | None = None,
                 keepers: Keepers | None = None) -> dict[str, Any]:
    groups = [{
        "id": number,
        "reclaimable_bytes": group.reclaimable_bytes,
        "tier": group.tier,
        **({"keeper_reason": keepers.reasons[number - 1]} if keepers else {}),
        "files": [{**file_record(group, f),
                   **(keepers.file_fields(number - 1, f.path) if keepers else {})}
                  for f in group.files],
        "pairs": [{"a": p.a, "b": p.b, "tier": p.tier, "reason": p.reason,
                   "distance": p.distance, "cosine": p.cosine}
                  for p in group.pairs],
    } for number, group in enumerate(result.groups, start=1)]
    return {
        "format_version": JSON_FORMAT_VERSION,
        "params": params or {},
        "summary": summary(result),
        "groups": groups,
        "issues": [{"path": i.path, "reason": i.reason} for i in result.issues],
        "warnings": list(result.warnings),
    }


def write_json(result: ScanResult, out: Path, params: dict[str, Any] | None = None,
               keepers: Keepers | None = None) -> None:
    text = json.dumps(to_json_dict(result, params, keepers), indent=1, ensure_ascii=False)
    out.write_text(text + "\n", encoding="utf-8", errors="surrogateescape")


def csv_rows(groups: Iterable[Group], keepers: Keepers | None = None
             ) -> Iterable[dict[str, Any]]:
    for number, group in enumerate(groups, start=1):
        for file in group.files:
            record = file_record(group, file)
            row = {"group": number, **{key: record[key] for key in CSV_COLUMNS[1:]}}
            if keepers is not None:
                fields = keepers.file_fields(number - 1, file.path)
                row |= {"keep": "true" if fields["keep"] else "false",
                        "origin": fields["origin"], "keeper_reason": keepers.reasons[number - 1]}
            yield row


def write_csv(result: ScanResult, out: Path | IO[str], keepers: Keepers | None = None) -> None:
    if isinstance(out, Path):
        with out.open("w", newline="", encoding="utf-8", errors="surrogateescape") as handle:
            write_csv(result, handle, keepers)
        return
    columns = CSV_COLUMNS + (KEEPER_COLUMNS if keepers is not None else ())
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(csv_rows(result.groups, keepers))
