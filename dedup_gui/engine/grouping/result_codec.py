"""Groups and series as columns of plain values, and back (result_memo.py stores them): files
by their index in the grouping's input, pairs one list per field. Why columns: a 500k-file
library's 76,000 groups and 121,000 pairs come back from a dozen long JSON lists, made into
objects by C-level maps; as one small list per group and per pair (the first layout) JSON
parsing and the per-pair loop took ~1.6 s of a ~16 s rescan, now ~0.5 s."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import attrgetter

from dedup_gui.engine.types import Group, GroupFile, Pair, Series, positional_maker

_PAIR_FIELDS = ("reason", "distance", "tier", "cosine")  # Pair's fields after a and b
_make_pair = positional_maker(Pair)
_make_group = positional_maker(Group)
_make_series = positional_maker(Series)
Parts = list[tuple[tuple[GroupFile, ...], tuple[Pair, ...]]]


def written(index: Mapping[str, int], parts: Sequence[Group] | Sequence[Series]
            ) -> dict[str, list]:
    """The columns of `parts` (their files and pairs); KeyError for a file not in `index`."""
    pairs = [pair for part in parts for pair in part.pairs]
    return {"sizes": [len(part.files) for part in parts],
            "members": [index[f.path] for part in parts for f in part.files],
            "counts": [len(part.pairs) for part in parts],
            "a": [index[pair.a] for pair in pairs], "b": [index[pair.b] for pair in pairs],
            **{name: list(map(attrgetter(name), pairs)) for name in _PAIR_FIELDS}}


def written_series(index: Mapping[str, int], series: Sequence[Series]) -> dict[str, list]:
    return {**written(index, series), "best": [s.best for s in series],
            "best_reason": [s.best_reason for s in series],
            "bracket": [s.bracket for s in series]}


def made_groups(files: Sequence[GroupFile], columns: Mapping[str, list]) -> tuple[Group, ...]:
    return tuple(_make_group(members, pairs) for members, pairs in _parts(files, columns))


def made_series(files: Sequence[GroupFile], columns: Mapping[str, list]) -> tuple[Series, ...]:
    parts = _parts(files, columns)
    best, reasons, brackets = columns["best"], columns["best_reason"], columns["bracket"]
    if not len(best) == len(reasons) == len(brackets) == len(parts):
        raise ValueError("series columns of different lengths")
    return tuple(map(_make_series, *zip(*parts, strict=True), best, reasons, brackets)) \
        if parts else ()


def _parts(files: Sequence[GroupFile], columns: Mapping[str, list]) -> Parts:
    """(files, pairs) of each part; ValueError for columns that do not fit together or name
    a file outside `files` (a damaged or foreign memo is never applied)."""
    sizes, counts, members = columns["sizes"], columns["counts"], columns["members"]
    a, b = columns["a"], columns["b"]
    fields = [columns[name] for name in _PAIR_FIELDS]
    if len(sizes) != len(counts) or sum(sizes) != len(members) or \
            any(len(column) != sum(counts) for column in (a, b, *fields)):
        raise ValueError("memo columns of different lengths")
    for column in (members, a, b):
        if column and not (min(column) >= 0 and max(column) < len(files)):
            raise ValueError("memo names a file outside the grouping's input")
    at = files.__getitem__
    made = list(map(at, members))
    pairs = list(map(_make_pair, [at(i).path for i in a], [at(i).path for i in b], *fields))
    parts: Parts = []
    start = first = 0
    for size, count in zip(sizes, counts, strict=True):
        parts.append((tuple(made[start:start + size]), tuple(pairs[first:first + count])))
        start, first = start + size, first + count
    return parts
