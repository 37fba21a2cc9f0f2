"""The report's CSV files, and readers that give back exactly what was written.

similarity.csv keeps fastdup's `from,to,distance` layout; unlike fastdup (whose "distance" is a
similarity), ours is a true distance, 1 - cosine, and the cosine is given beside it. Column names
are documented in README ("Reports"). Paths that are not valid UTF-8 survive the round trip
(surrogateescape), as in the scan's own CSV export.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

from dedup_gui.engine.insights.library import ClusterInfo, Insights, SimilarPair
from dedup_gui.engine.insights.outliers import Outlier
from dedup_gui.engine.insights.quality import Quality

SIMILARITY_COLUMNS = ("from", "to", "distance", "cosine")
OUTLIER_COLUMNS = ("rank", "path", "distance", "nearest", "nearest_distance", "flags")
CLUSTER_COLUMNS = ("cluster", "size", "path", "representative", "cosine")
QUALITY_COLUMNS = ("path", "width", "height", "brightness", "shadows", "highlights",
                   "sharpness", "flags")
FLAG_SEPARATOR = ";"


def _write(path: Path, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    """Rows as tuples in `columns` order (csv.writer: twice as fast as DictWriter)."""
    with path.open("w", newline="", encoding="utf-8", errors="surrogateescape") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(rows)


def _read(path: Path, columns: tuple[str, ...]) -> Iterator[dict[str, str]]:
    with path.open(newline="", encoding="utf-8", errors="surrogateescape") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != columns:
            raise ValueError(f"{path.name}: expected columns {','.join(columns)}")
        yield from reader


def _flags(insights: Insights, path: str) -> str:
    quality = insights.quality.get(path)
    return FLAG_SEPARATOR.join(quality.flags) if quality else ""


def write_similarity(insights: Insights, path: Path) -> None:
    _write(path, SIMILARITY_COLUMNS, ((p.a, p.b, p.distance, p.cosine) for p in insights.similar))


def write_outliers(insights: Insights, path: Path) -> None:
    _write(path, OUTLIER_COLUMNS, ((o.rank, o.path, o.distance, o.nearest, o.nearest_distance,
                                    _flags(insights, o.path)) for o in insights.outliers))


def write_clusters(insights: Insights, path: Path) -> None:
    _write(path, CLUSTER_COLUMNS, ((c.number, c.size, member, c.representative, cosine)
                                   for c in insights.clusters
                                   for member, cosine in zip(c.paths, c.cosines, strict=True)))


def write_quality(insights: Insights, path: Path) -> None:
    _write(path, QUALITY_COLUMNS, ((p, q.width, q.height, q.brightness, q.shadows, q.highlights,
                                    q.sharpness, FLAG_SEPARATOR.join(q.flags))
                                   for p, q in sorted(insights.quality.items())))


def read_similarity(path: Path) -> list[SimilarPair]:
    return [SimilarPair(row["from"], row["to"], float(row["distance"]))
            for row in _read(path, SIMILARITY_COLUMNS)]


def read_outliers(path: Path) -> list[Outlier]:
    return [Outlier(int(row["rank"]), row["path"], float(row["distance"]), row["nearest"],
                    float(row["nearest_distance"]))
            for row in _read(path, OUTLIER_COLUMNS)]


def read_clusters(path: Path) -> list[ClusterInfo]:
    members: dict[int, list[tuple[str, float]]] = {}
    for row in _read(path, CLUSTER_COLUMNS):
        members.setdefault(int(row["cluster"]), []).append((row["path"], float(row["cosine"])))
    return [ClusterInfo(number, tuple(p for p, _ in rows), tuple(c for _, c in rows))
            for number, rows in members.items()]


def read_quality(path: Path) -> dict[str, Quality]:
    return {row["path"]: Quality(int(row["width"]), int(row["height"]), float(row["brightness"]),
                                 float(row["shadows"]), float(row["highlights"]),
                                 float(row["sharpness"]))
            for row in _read(path, QUALITY_COLUMNS)}
