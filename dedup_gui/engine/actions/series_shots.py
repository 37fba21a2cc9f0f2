"""Similar-shot series read as exposures, after the keeper proposal: each duplicate group in a
series is one shot, represented by the file the group keeps.

Why: grouping builds series from verified "another shot" pairs between units, so a re-save, a
crop or an upscale of a burst frame shows up as one more shot beside the frame it was made
from, and the best-shot score (resolution is part of it) can pick the upscale. "Keep the best of
each series" would then keep the upscale and move the camera original it was made from (on the
burst dev set 12 of 46 series suggested an upscale or a crop). The copies are duplicates: the
duplicate review handles them, with the keeper proposal that knows which file is the original.

A group's kept file stands for a member only where it was taken within SERIES_SPAN_S of the
series' other dated shots: a false "edited copy" pair (a re-save without EXIF grouped with a
look-alike taken a day later) made that look-alike a shot of a series 24 h long, and "keep the
best of each series" marked one of two unrelated photos Remove (a first-user check). Such a
member leaves the series, which the grouping's own span rule would have kept it out of.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from dedup_gui.engine.signals.capture import far_apart
from dedup_gui.engine.types import Group, GroupFile, Pair, Series


def series_by_exposure(series: Sequence[Series], groups: Sequence[Group],
                       keeps: Sequence[Sequence[str]]) -> tuple[Series, ...]:
    """`series` with every member of a duplicate group replaced by the group's kept file
    (`keeps[i][0]` for `groups[i]`; a group keeping nothing is left as it is). The suggested
    best shot moves to its group's kept file too; a series left with one shot is dropped.
    Idempotent, so a new proposal (other keeper rules) can fold the folded series again."""
    kept_for = _kept_for(groups, keeps)
    folded = []
    for one in series:
        shots: dict[str, GroupFile] = {}
        for file in one.files:
            shot = kept_for.get(file.path, file)
            shots.setdefault(shot.path, shot)
        shots = _within_span(shots, one.files)
        best = kept_for[one.best].path if one.best in kept_for else one.best
        if len(shots) < 2 or best not in shots:  # no best left to suggest: no series to show
            continue
        folded.append(Series(tuple(sorted(shots.values(), key=lambda f: f.path)),
                             _pairs(one.pairs, kept_for), best,
                             recounted(one.best_reason, len(shots)), one.bracket))
    return tuple(sorted(folded, key=lambda s: s.files[0].path))


def _within_span(shots: dict[str, GroupFile], members: Sequence[GroupFile]
                 ) -> dict[str, GroupFile]:
    """The shots whose capture is within SERIES_SPAN_S of every dated member the series was
    built from (those are: series.py), on comparable clocks."""
    return {path: shot for path, shot in shots.items()
            if not any(far_apart(shot.capture, m.capture) for m in members)}


def _kept_for(groups: Sequence[Group], keeps: Sequence[Sequence[str]]) -> dict[str, GroupFile]:
    kept_for: dict[str, GroupFile] = {}
    for group, keep in zip(groups, keeps, strict=True):
        kept = next((f for f in group.files if keep and f.path == keep[0]), None)
        if kept is not None:
            kept_for.update((f.path, kept) for f in group.files)
    return kept_for


def _pairs(pairs: Sequence[Pair], kept_for: dict[str, GroupFile]) -> tuple[Pair, ...]:
    """The series' pairs between shots: ends moved to the kept files, one pair per two shots."""
    seen: dict[tuple[str, str], Pair] = {}
    for pair in pairs:
        a = kept_for[pair.a].path if pair.a in kept_for else pair.a
        b = kept_for[pair.b].path if pair.b in kept_for else pair.b
        if a != b:
            seen.setdefault((min(a, b), max(a, b)), replace(pair, a=a, b=b))
    return tuple(seen.values())


def recounted(reason: str, count: int) -> str:
    """`reason` (grouping/series.best_shot's words: "sharpest of N, …") for the series shown
    as `count` shots: best_shot measured every file, a burst frame's copies too, and "sharpest
    of 6" under four shots read as a bug (a first-user review)."""
    prefix = next((p for p in ("sharpest of ", "among the sharpest of ") if reason.startswith(p)),
                  None)
    if prefix is None:
        return reason
    measured, comma, rest = reason.removeprefix(prefix).partition(",")
    if not measured.isdigit():
        return reason
    return f"{prefix}{count}{comma}{rest}"
