"""Units: exact copies collapsed into one unit that is never split (unless a person marked two
of them "not duplicates"), and how units are matched (MatchParams). The grouping stage works on
units, not files."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import TypeVar

import numpy as np

from dedup_gui.engine.tiers import DEFAULT_TIER_THRESHOLDS, DEFAULT_TIERS, TierThresholds
from dedup_gui.engine.types import Capture, GroupFile, positional_maker

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Unit:
    """Files with identical bytes (or one file), their perceptual hash and embedding if read."""

    files: tuple[GroupFile, ...]
    hash: int | None
    embedding: np.ndarray | None = None


_make_unit = positional_maker(Unit)  # Unit(files, hash, embedding): 500k in a 500k rescan


@dataclass(frozen=True, slots=True)
class MatchParams:
    """How pairs are matched: the hash and its threshold, tier thresholds, the tiers that count."""

    hash_kind: str = "phash"
    hash_threshold: int = 10
    hash_size: int = 8
    thresholds: TierThresholds = DEFAULT_TIER_THRESHOLDS
    tiers: frozenset[str] = DEFAULT_TIERS
    verify: bool = True  # check each duplicate pair is one exposure (grouping/verify.py)


def build_units(files: Sequence[GroupFile], digests: Mapping[str, str],
                hashes: Mapping[str, int],
                apart: Collection[tuple[str, str]] = frozenset(),
                embeddings: Mapping[str, np.ndarray] | None = None) -> list[Unit]:
    """Collapse exact copies into units, ordered by their first path (that order is the tie-break
    that keeps grouping deterministic). `apart`: sorted path pairs that must not share a unit."""
    parts = [part for members in _copies(files, digests) for part in _split_apart(members, apart)]
    vectors = embeddings or {}
    units = [_make_unit((members[0],), hashes.get(members[0].path), vectors.get(members[0].path))
             if len(members) == 1 else
             _make_unit(tuple(members), _first(members, hashes), _first(members, vectors))
             for members in parts]
    if not apart:  # units were made in the order of their first paths already
        return units
    return sorted(units, key=lambda unit: unit.files[0].path)


def _copies(files: Sequence[GroupFile], digests: Mapping[str, str]) -> list[list[GroupFile]]:
    """Files with one digest together, each list where its first path falls in path order; a
    file without a digest alone (no key string made for it: 500k files make 500k units)."""
    parts: list[list[GroupFile]] = []
    by_digest: dict[str, list[GroupFile]] = {}
    for file in sorted(files, key=_PATH):
        digest = digests.get(file.path)
        if not digest:
            parts.append([file])
        elif (members := by_digest.get(digest)) is None:
            parts.append(by_digest.setdefault(digest, [file]))
        else:
            members.append(file)
    return parts


_PATH = attrgetter("path")


def _split_apart(members: list[GroupFile], apart: Collection[tuple[str, str]]
                 ) -> list[list[GroupFile]]:
    """Exact copies marked "not duplicates" go to different parts (first fit, in path order)."""
    if not apart or len(members) < 2:
        return [members]
    parts: list[list[GroupFile]] = []
    for file in members:
        fits = (p for p in parts if all((o.path, file.path) not in apart for o in p))
        part = next(fits, None)
        if part is None:
            parts.append([file])
        else:
            part.append(file)
    return parts


def unit_capture(unit: Unit) -> Capture | None:
    """The capture of a unit's files (identical bytes carry one EXIF; the first one known)."""
    return next((f.capture for f in unit.files if f.capture is not None), None)


def apart_units(units: Sequence[Unit], apart: Collection[tuple[str, str]]
                ) -> dict[int, set[int]]:
    """unit -> the units it must never share a group with (they hold a pair marked "not
    duplicates")."""
    if not apart:
        return {}
    unit_of = {f.path: index for index, unit in enumerate(units) for f in unit.files}
    blocked: dict[int, set[int]] = {}
    for a, b in apart:
        if a in unit_of and b in unit_of and unit_of[a] != unit_of[b]:
            blocked.setdefault(unit_of[a], set()).add(unit_of[b])
            blocked.setdefault(unit_of[b], set()).add(unit_of[a])
    return blocked


def _first(members: list[GroupFile], values: Mapping[str, T]) -> T | None:
    if len(members) == 1:  # most units: one file, one lookup
        return values.get(members[0].path)
    return next((values[f.path] for f in members if f.path in values), None)
