"""Scan results as JSON and CSV, for scripts and for the GUI's "Export" (same format both ways).

Each file says why it is in its group: the reason of its closest match in the group
("identical bytes" or "phash distance 3"), and lists its companions: the other files of its
capture unit (RAW, Live video, sidecars), which move to the Trash with it. With `Keepers` (the
keeper proposal), each file also says whether it is kept (`keep`) and how it was made
(`origin`: "original", "screenshot of the photo", ...), and each group why its keeper was
chosen (`keeper_reason`). Both files are valid UTF-8 whatever the file names: a path that is
not UTF-8 is written readable, with its exact bytes beside it (engine/pathtext.py, README
"Command line"); `read_results_json` and `path_from_record` give the exact paths back.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from dedup_gui.engine.actions.burst_marks import marked_by_keep_best, with_other_versions
from dedup_gui.engine.export import json_text
from dedup_gui.engine.pathtext import (
    EXACT_SUFFIX,
    clean,
    path_fields,
    path_from,
    path_list_fields,
    paths_from,
)
from dedup_gui.engine.types import (
    Group,
    GroupFile,
    ScanResult,
    Series,
    closest_pair,
    reclaimable_bytes,
)

# 2: paths that are not UTF-8 are written readable (U+FFFD) plus `<key>_bytes_b64` (was: raw bytes);
# each file lists its companions, and with the keeper proposal its keep/origin/keeper_reason.
# 3: File ▸ Save results writes the person's review: `keep` is their mark, each group says
# whether it was `dismissed` (not duplicates) and `opened`, each file whether it was `moved`
# (to the Trash or a folder). results_read.py reads every version back.
JSON_FORMAT_VERSION = 3
CSV_COLUMNS = ("group", "path", "size", "width", "height", "format", "mtime", "match",
               "companions", "path_bytes_b64")
KEEPER_COLUMNS = ("keep", "origin", "keeper_reason")
# A CSV cell holds a file's companions (always in its folder) as names joined by "/": no file
# name can hold that character, so the list splits back exactly (names that are not UTF-8 are
# written readable; the JSON has their exact bytes).
COMPANION_SEPARATOR = "/"


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


@dataclass(frozen=True, slots=True)
class Review:
    """The person's decisions on the groups (0-based indexes), written by Save results."""

    dismissed: frozenset[int] = frozenset()
    opened: frozenset[int] = frozenset()
    moved: frozenset[str] = frozenset()

    def group_fields(self, index: int) -> dict[str, bool]:
        return {"dismissed": index in self.dismissed, "opened": index in self.opened}


def closest_match(group: Group, path: str) -> str:
    """The reason of the closest pair in `group` that involves `path` (types.closest_pair)."""
    best = closest_pair(p for p in group.pairs if path in (p.a, p.b))
    return best.reason if best else ""


def _iso(mtime_ns: int) -> str:
    return dt.datetime.fromtimestamp(mtime_ns / 1e9).astimezone().isoformat(timespec="seconds")


def file_record(group: Group, file: GroupFile) -> dict[str, Any]:
    """One file of a group: the readable path (and exact bytes where needed), facts, why, and
    the other files of its capture unit."""
    return {**path_fields("path", file.path), "size": file.size, "width": file.width,
            "height": file.height, "format": file.format, "mtime": _iso(file.mtime_ns),
            "mtime_ns": file.mtime_ns, "match": closest_match(group, file.path),
            **path_list_fields("companions", file.companions)}


def removals_of(result: ScanResult, keepers: Keepers | None) -> list[frozenset[str]]:
    """Each group's files marked Remove: the keeper proposal, else all but the largest file."""
    if keepers is not None:
        return [frozenset(r) for r in keepers.removals]
    return [g.largest_kept() for g in result.groups]


def summary(result: ScanResult, keepers: Keepers | None = None,
            removals: Sequence[Collection[str]] | None = None) -> dict[str, int]:
    """The totals; `removals` (default: removals_of) are what reclaimable_bytes counts."""
    removals = removals_of(result, keepers) if removals is None else removals
    return {
        "files": result.stats.files,
        "groups": len(result.groups),
        "files_in_groups": sum(len(g.files) for g in result.groups),
        "reclaimable_bytes": reclaimable_bytes(result.groups, removals),
        "unreadable": len(result.issues),
    }


def _still_to_free(removals: list[frozenset[str]], review: Review | None
                   ) -> list[frozenset[str]]:
    """What reclaimable_bytes counts in a saved review, as the app counts it: nothing in a group
    the person dismissed, and no file already moved. (The marks themselves are saved as they
    are, so opening the file restores them.)"""
    if review is None:
        return removals
    return [frozenset() if index in review.dismissed else marks - review.moved
            for index, marks in enumerate(removals)]


def to_json_dict(result: ScanResult, params: dict[str, Any] | None = None,
                 keepers: Keepers | None = None, review: Review | None = None
                 ) -> dict[str, Any]:
    removals = _still_to_free(removals_of(result, keepers), review)
    groups = [{
        "id": number,
        "reclaimable_bytes": reclaimable_bytes([group], [removals[number - 1]]),
        "tier": group.tier,
        **({"keeper_reason": clean(keepers.reasons[number - 1])} if keepers else {}),
        **(review.group_fields(number - 1) if review else {}),
        "files": [{**file_record(group, f),
                   **(keepers.file_fields(number - 1, f.path) if keepers else {}),
                   **({"moved": f.path in review.moved} if review else {})}
                  for f in group.files],
        "pairs": [{**path_fields("a", p.a), **path_fields("b", p.b), "tier": p.tier,
                   "reason": p.reason, "distance": p.distance, "cosine": p.cosine}
                  for p in group.pairs],
    } for number, group in enumerate(result.groups, start=1)]
    versions = with_other_versions(result.groups, review.moved if review else ())
    return {
        "format_version": JSON_FORMAT_VERSION,
        "params": _params(params or {}),
        "summary": summary(result, keepers, removals),
        "groups": groups,
        "similar_series": [series_record(number, s, versions) for number, s in
                           enumerate(result.series, start=1)],
        "issues": [{**path_fields("path", i.path), "reason": clean(i.reason)}
                   for i in result.issues],
        "warnings": clean(list(result.warnings)),
    }


def series_record(number: int, series: Series, versions: Collection[str] = ()
                  ) -> dict[str, Any]:
    """A similar-shot series: other exposures of one scene, never duplicates; `best` is the
    suggested shot and `others` what "keep the best of each series" would move to the Trash
    (actions/burst_marks.py: its burst only, nothing of an exposure bracket, nothing of
    `versions`: shots with other versions in a duplicate group)."""
    others = [p for p in marked_by_keep_best(series) if p not in versions]
    return {
        "id": number,
        **path_fields("best", series.best),
        "best_reason": clean(series.best_reason),
        "bracket": clean(series.bracket),
        **path_list_fields("others", others),
        "files": [{**path_fields("path", f.path), "size": f.size, "width": f.width,
                   "height": f.height, "format": f.format, "mtime": _iso(f.mtime_ns)}
                  for f in series.files],
        "pairs": [{**path_fields("a", p.a), **path_fields("b", p.b), "tier": p.tier,
                   "reason": p.reason, "distance": p.distance, "cosine": p.cosine}
                  for p in series.pairs],
    }


def _params(params: dict[str, Any]) -> dict[str, Any]:
    """The settings, readable; the scanned folders also exact (they are paths)."""
    out = clean({k: v for k, v in params.items() if k != "roots"})
    if "roots" in params:
        out = {**path_list_fields("roots", list(params["roots"])), **out}
    return out


def write_json(result: ScanResult, out: Path | IO[bytes], params: dict[str, Any] | None = None,
               keepers: Keepers | None = None, review: Review | None = None) -> None:
    """Strict UTF-8 (RFC 8259): a stray undecodable name raises here rather than corrupt the
    file for every reader. One file or pair per line (json_text: fast for 50,000 groups).
    `out`: a file's path, or a binary stream (the CLI's standard output)."""
    text = json_text.dumps(to_json_dict(result, params, keepers, review))
    data = (text + "\n").encode("utf-8")
    if isinstance(out, Path):
        out.write_bytes(data)
    else:
        out.write(data)


def read_results_json(path: Path) -> dict[str, Any]:
    """A results file read back (strict UTF-8) with every path exact again: each file's `path`
    (and `companions`, where written), each pair's `a` and `b`, each issue's `path` and the
    params' `roots` are the str Python uses for the file (surrogate escapes restored), and the
    `_bytes_b64` fields are gone."""
    data = json.loads(Path(path).read_bytes().decode("utf-8"))
    for group in data.get("groups", ()):
        group["files"] = [_exact_list(_exact(f, "path"), "companions") for f in group["files"]]
        group["pairs"] = [_exact(_exact(p, "a"), "b") for p in group["pairs"]]
    data["issues"] = [_exact(i, "path") for i in data.get("issues", ())]
    _exact_list(data.get("params", {}), "roots")
    return data


def path_from_record(record: dict[str, Any], key: str = "path") -> str:
    """The exact path of one record of a results file (JSON object or CSV row) as written."""
    return path_from(record, key)


def _exact(record: dict[str, Any], key: str) -> dict[str, Any]:
    record[key] = path_from(record, key)
    record.pop(key + EXACT_SUFFIX, None)
    return record


def _exact_list(record: dict[str, Any], key: str) -> dict[str, Any]:
    """A list of paths (a file's companions, the scanned roots), if the record has one."""
    if key in record:
        record[key] = paths_from(record, key)
        record.pop(key + EXACT_SUFFIX, None)
    return record


def csv_rows(groups: Iterable[Group], keepers: Keepers | None = None
             ) -> Iterable[dict[str, Any]]:
    for number, group in enumerate(groups, start=1):
        for file in group.files:
            record = file_record(group, file)
            names = COMPANION_SEPARATOR.join(clean(os.path.basename(p)) for p in file.companions)
            row = {"group": number, **{key: record.get(key, "") for key in CSV_COLUMNS[1:]},
                   "companions": names}
            if keepers is not None:
                fields = keepers.file_fields(number - 1, file.path)
                row |= {"keep": "true" if fields["keep"] else "false",
                        "origin": fields["origin"],
                        "keeper_reason": clean(keepers.reasons[number - 1])}
            yield row


def write_csv(result: ScanResult, out: Path | IO[str], keepers: Keepers | None = None) -> None:
    if isinstance(out, Path):
        with out.open("w", newline="", encoding="utf-8") as handle:
            write_csv(result, handle, keepers)
        return
    columns = CSV_COLUMNS + (KEEPER_COLUMNS if keepers is not None else ())
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(csv_rows(result.groups, keepers))
