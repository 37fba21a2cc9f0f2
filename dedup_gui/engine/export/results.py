"""Scan results as JSON and CSV, for scripts and for the GUI's "Export" (same format both ways).

Each file says why it is in its group: the reason of its closest match in the group
("identical bytes" or "phash distance 3").
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from dedup_gui.engine.types import Group, GroupFile, ScanResult, Series

JSON_FORMAT_VERSION = 1
CSV_COLUMNS = ("group", "path", "size", "width", "height", "format", "mtime", "match")


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


def to_json_dict(result: ScanResult, params: dict[str, Any] | None = None) -> dict[str, Any]:
    groups = [{
        "id": number,
        "reclaimable_bytes": group.reclaimable_bytes,
        "tier": group.tier,
        "files": [file_record(group, f) for f in group.files],
        "pairs": [{"a": p.a, "b": p.b, "tier": p.tier, "reason": p.reason,
                   "distance": p.distance, "cosine": p.cosine}
                  for p in group.pairs],
    } for number, group in enumerate(result.groups, start=1)]
    return {
        "format_version": JSON_FORMAT_VERSION,
        "params": params or {},
        "summary": summary(result),
        "groups": groups,
        "similar_series": [series_record(number, s) for number, s in
                           enumerate(result.series, start=1)],
        "issues": [{"path": i.path, "reason": i.reason} for i in result.issues],
        "warnings": list(result.warnings),
    }


def series_record(number: int, series: Series) -> dict[str, Any]:
    """A similar-shot series: other exposures of one scene, never duplicates; `best` is the
    suggested shot and `others` what "keep the best of each series" would move to the Trash."""
    return {
        "id": number,
        "best": series.best,
        "best_reason": series.best_reason,
        "others": [f.path for f in series.files if f.path != series.best],
        "files": [{"path": f.path, "size": f.size, "width": f.width, "height": f.height,
                   "format": f.format, "mtime": _iso(f.mtime_ns)} for f in series.files],
        "pairs": [{"a": p.a, "b": p.b, "tier": p.tier, "reason": p.reason,
                   "distance": p.distance, "cosine": p.cosine} for p in series.pairs],
    }


def write_json(result: ScanResult, out: Path, params: dict[str, Any] | None = None) -> None:
    text = json.dumps(to_json_dict(result, params), indent=1, ensure_ascii=False)
    out.write_text(text + "\n", encoding="utf-8", errors="surrogateescape")


def csv_rows(groups: Iterable[Group]) -> Iterable[dict[str, Any]]:
    for number, group in enumerate(groups, start=1):
        for file in group.files:
            record = file_record(group, file)
            yield {"group": number, **{key: record[key] for key in CSV_COLUMNS[1:]}}


def write_csv(result: ScanResult, out: Path | IO[str]) -> None:
    if isinstance(out, Path):
        with out.open("w", newline="", encoding="utf-8", errors="surrogateescape") as handle:
            write_csv(result, handle)
        return
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(csv_rows(result.groups))
