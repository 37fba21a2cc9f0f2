"""The report's CSV files, and readers that give back exactly what was written.

similarity.csv keeps fastdup's `from,to,distance` layout; unlike fastdup (whose "distance" is a
similarity), ours is a true distance, 1 - cosine, and the cosine is given beside it. Column names
are documented in README ("Reports"). The files are valid UTF-8 whatever the file names: each
path column K is written readable, and a last column K_bytes_b64 per path column holds the exact
bytes where a path is not UTF-8 (engine/pathtext.py), as in the scan's own CSV export; the readers
give the exact paths back.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from operator import itemgetter
from pathlib import Path

from dedup_gui.engine.insights.library import ClusterInfo, Insights, SimilarPair
from dedup_gui.engine.insights.outliers import Outlier
from dedup_gui.engine.insights.quality import Quality
from dedup_gui.engine.pathtext import EXACT_SUFFIX, exact, path_from, readable

FLAG_SEPARATOR = ";"


def _with_exact(columns: tuple[str, ...], path_columns: tuple[str, ...]) -> tuple[str, ...]:
    return columns + tuple(c + EXACT_SUFFIX for c in path_columns)


SIMILARITY_PATHS = ("from", "to")
SIMILARITY_COLUMNS = _with_exact(("from", "to", "distance", "cosine"), SIMILARITY_PATHS)
OUTLIER_PATHS = ("path", "nearest")
OUTLIER_COLUMNS = _with_exact(("rank", "path", "distance", "nearest", "nearest_distance",
                               "flags"), OUTLIER_PATHS)
CLUSTER_PATHS = ("path", "representative")
CLUSTER_COLUMNS = _with_exact(("cluster", "size", "path", "representative", "cosine"),
                              CLUSTER_PATHS)
UNREADABLE_PATHS = ("path",)
UNREADABLE_COLUMNS = _with_exact(("path", "reason"), UNREADABLE_PATHS)
QUALITY_PATHS = ("path",)
QUALITY_COLUMNS = _with_exact(("path", "width", "height", "brightness", "shadows",
                               "highlights", "sharpness", "flags"), QUALITY_PATHS)


def _exact_row(row: tuple, index: list[int]) -> tuple:
    """A row whose paths may not be UTF-8: paths readable, their exact forms appended."""
    cells = (readable(v) if i in index else v for i, v in enumerate(row))
    return (*cells, *(exact(row[i]) or "" for i in index))


def _chunks(rows: Iterable[tuple], size: int = 4096) -> Iterator[list[tuple]]:
    it = iter(rows)
    return iter(lambda: list(islice(it, size)), [])


def _write(path: Path, columns: tuple[str, ...], paths: tuple[str, ...],
           rows: Iterable[tuple]) -> None:
    """Rows as tuples in the plain columns' order, the exact columns added here. Strict UTF-8,
    so a path that slipped through unconverted fails here, not in the reader's tool.

    Speed (a report can hold millions of rows): a chunk whose paths are all ASCII (nearly every
    chunk) goes to csv.writer whole, at C speed, its empty exact cells written by the line
    terminator (",," + CRLF is what the empty cells would give); other chunks row by row."""
    index = [columns.index(p) for p in paths]
    paths_of = itemgetter(*index, *index)  # always a tuple, even for one path column
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerow(columns)
        fast = csv.writer(handle, lineterminator="," * len(paths) + "\r\n")
        slow = csv.writer(handle)
        for chunk in _chunks(rows):
            if "".join(chain.from_iterable(map(paths_of, chunk))).isascii():
                fast.writerows(chunk)
            else:
                slow.writerows(_exact_row(row, index) for row in chunk)


def _read(path: Path, columns: tuple[str, ...],
          paths: tuple[str, ...]) -> Iterator[dict[str, str]]:
    """Rows as dicts, path columns exact again."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != columns:
            raise ValueError(f"{path.name}: expected columns {','.join(columns)}")
        for row in reader:
            yield {**row, **{key: path_from(row, key) for key in paths}}


def _flags(insights: Insights, path: str) -> str:
    quality = insights.quality.get(path)
    return FLAG_SEPARATOR.join(quality.flags) if quality else ""


def write_similarity(insights: Insights, path: Path) -> None:
    _write(path, SIMILARITY_COLUMNS, SIMILARITY_PATHS,
           ((p.a, p.b, p.distance, p.cosine) for p in insights.similar))


def write_outliers(insights: Insights, path: Path) -> None:
    _write(path, OUTLIER_COLUMNS, OUTLIER_PATHS,
           ((o.rank, o.path, o.distance, o.nearest, o.nearest_distance, _flags(insights, o.path))
            for o in insights.outliers))


def write_unreadable(insights: Insights, path: Path) -> None:
    """The files and folders the scan could not read, and why (the page named only how many:
    a curator's and a packager's check)."""
    _write(path, UNREADABLE_COLUMNS, UNREADABLE_PATHS,
           ((issue.path, issue.reason) for issue in insights.scan.issues))


def write_clusters(insights: Insights, path: Path) -> None:
    _write(path, CLUSTER_COLUMNS, CLUSTER_PATHS,
           ((c.number, c.size, member, c.representative, cosine)
            for c in insights.clusters
            for member, cosine in zip(c.paths, c.cosines, strict=True)))


def write_quality(insights: Insights, path: Path) -> None:
    _write(path, QUALITY_COLUMNS, QUALITY_PATHS,
           ((p, q.width, q.height, q.brightness, q.shadows, q.highlights, q.sharpness,
             FLAG_SEPARATOR.join(q.flags))
            for p, q in sorted(insights.quality.items())))


def read_similarity(path: Path) -> list[SimilarPair]:
    return [SimilarPair(row["from"], row["to"], float(row["distance"]))
            for row in _read(path, SIMILARITY_COLUMNS, SIMILARITY_PATHS)]


def read_outliers(path: Path) -> list[Outlier]:
    return [Outlier(int(row["rank"]), row["path"], float(row["distance"]), row["nearest"],
                    float(row["nearest_distance"]))
            for row in _read(path, OUTLIER_COLUMNS, OUTLIER_PATHS)]


def read_clusters(path: Path) -> list[ClusterInfo]:
    members: dict[int, list[tuple[str, float]]] = {}
    for row in _read(path, CLUSTER_COLUMNS, CLUSTER_PATHS):
        members.setdefault(int(row["cluster"]), []).append((row["path"], float(row["cosine"])))
    return [ClusterInfo(number, tuple(p for p, _ in rows), tuple(c for _, c in rows))
            for number, rows in members.items()]


def read_quality(path: Path) -> dict[str, Quality]:
    return {row["path"]: Quality(int(row["width"]), int(row["height"]), float(row["brightness"]),
                                 float(row["shadows"]), float(row["highlights"]),
                                 float(row["sharpness"]))
            for row in _read(path, QUALITY_COLUMNS, QUALITY_PATHS)}
