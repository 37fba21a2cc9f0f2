"""The facts a person compares to choose a keeper, per file of a group, and which value is best.

A fact is starred only when it decided the keeper (the keeper rule that set the keeper apart
names it) and only where files differ. Dates are the date taken when known (the scan's cached
capture: EXIF or Google Takeout), else the file's modification time, labelled as such so nobody
mistakes it for when the photo was taken (copying a file gives it a new one). Each file also says
how it matched: the engine's evidence for its pair with the keeper, or for its closest pair when
it is in the group through the others.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from dedup_gui.engine.actions.kept_beside import ALSO_KEPT, beside_why
from dedup_gui.engine.actions.provenance import ORIGINAL
from dedup_gui.engine.signals.companions import LIVE_EXTENSIONS, RAW_EXTENSIONS, split_name
from dedup_gui.engine.tiers import IDENTICAL
from dedup_gui.engine.types import Capture, Group, GroupFile, closest_pair
from dedup_gui.qt.review.match_words import expert_tip, plain_words
from dedup_gui.text import human_bytes, human_date, shown_name

RESOLUTION, SIZE, DATE = "resolution", "size", "date"
# "File date 2026-12-05 (undated)" read as a contradiction (a first-user review): a file time
# is captioned as what it is, and says there is no capture date.
TAKEN, FILE_DATE = "Taken", "Modified"
NO_DATE_TAKEN = "no capture date"  # the tooltip says it in full


@dataclass(frozen=True, slots=True)
class FileFacts:
    path: str
    name: str
    folder: str
    resolution: str
    size: str
    format: str
    date_kind: str  # TAKEN or FILE_DATE: the caption, so a file time never passes for "taken"
    date: str  # "2021-05-02 10:00", or "2024-05-01 · no capture date" for a file date
    date_tip: str  # where the date comes from, in words
    camera: str  # "Canon EOS R5", or "" when unknown
    best: frozenset[str]  # which of RESOLUTION, SIZE, DATE decided the keeper, and won here
    match: str = ""  # how it matched, in words: "the keeper (largest file)", "edited copy: …"
    travels: str = ""  # what moves with it: "+ RAW + Live video + XMP" ("" for a lone photo)
    origin: str = ""  # how the file relates to the others: "original", "screenshot of …"
    match_tip: str = ""  # the engine's sentence with its numbers (the match's tooltip)


def travels_with(companions: Sequence[str]) -> str:
    """The kinds of files that move with a photo, in words people know from their camera and
    phone: RAW, Live video, XMP, AAE (iOS edits), THM, JSON (Takeout)."""
    kinds: list[str] = []
    for path in companions:
        ext = split_name(os.path.basename(path))[1]
        kind = ("RAW" if ext in RAW_EXTENSIONS else "Live video" if ext in LIVE_EXTENSIONS
                else ext.lstrip(".").upper())
        if kind not in kinds:
            kinds.append(kind)
    return " ".join(f"+ {kind}" for kind in kinds)


def capture_date(capture: Capture) -> str:
    """The date taken as the camera showed it: an instant in the viewer's time zone when EXIF
    gave the offset (or Takeout an instant), else the stored wall time as it is."""
    assert capture.taken_ns is not None
    if capture.has_offset:
        return human_date(capture.taken_ns / 1e9)
    return datetime.fromtimestamp(capture.taken_ns / 1e9, UTC).strftime("%Y-%m-%d %H:%M")


def _date(file: GroupFile, taken_ns: int | None) -> tuple[int, str, str, str]:
    """(sort key, caption, text, tooltip) of a file's date."""
    capture = file.capture
    if capture is not None and capture.taken_ns is not None:
        source = "Google Takeout" if capture.source == "takeout" else "the photo's EXIF"
        return capture.taken_ns, TAKEN, capture_date(capture), f"Date taken, from {source}"
    if taken_ns is not None:
        return taken_ns, TAKEN, human_date(taken_ns / 1e9), "Date taken, from the photo's EXIF"
    modified = human_date(file.mtime_ns / 1e9)
    return (file.mtime_ns, FILE_DATE, f"{modified[:10]} · {NO_DATE_TAKEN}",
            f"No capture date: the photo holds no date taken (no EXIF date, no Google Takeout "
            f"file), so when it was taken is unknown. The file was last modified {modified} "
            "(copying a file gives it a new date)")


def _best(values: Sequence[float]) -> set[int]:
    """Indexes holding the smallest value, unless every value is the same."""
    if len(set(values)) <= 1:
        return set()
    low = min(values)
    return {i for i, v in enumerate(values) if v == low}


# The fact each keeper rule looks at (keep_rules' labels, lower case as in the reasons).
DECIDING_FACT = {"highest resolution": RESOLUTION, "largest file": SIZE,
                 "oldest date": DATE, "newest date": DATE}


def match_text(group: Group | None, path: str, keepers: frozenset[str],
               reason: str, source: bool = False) -> tuple[str, str]:
    """How `path` is in the group, in plain words, and the engine's words with its numbers.
    `source`: a file not kept that reads "original" (a copy made from it is kept): its pair
    with the keeper is named for what it is, not by the pair's kind ("edited copy: looks 84 %
    alike" under "Origin: Original" contradicted itself: a real-window check)."""
    if group is None:
        return "", ""
    if path in keepers:
        why = beside_why(reason, path)
        reason = reason.partition(ALSO_KEPT)[0]
        if why:  # kept beside the keeper, and why
            text = f"kept too: {why}"  # not "the keeper (its reason)"
            return text, text
        rule, _, original = reason.partition(" (the original, ")
        if reason.startswith("kept: "):  # the "most original" rule's sentence
            text = f"the keeper: {reason.removeprefix('kept: ')}"  # not "the keeper (kept: …"
        elif original:  # not "the keeper (largest file (the original, …))"
            text = f"the keeper ({rule}); the original, {original.removesuffix(')')}"
        else:
            text = f"the keeper ({reason})" if reason else "the keeper"
        return text, text
    pairs = [p for p in group.pairs if path in (p.a, p.b)]
    pair = closest_pair(p for p in pairs if ({p.a, p.b} - {path}) & keepers)
    if pair is not None:  # a pair with a kept file
        label = "the original of the kept copy" if source and pair.tier != IDENTICAL else None
        return plain_words(pair, label), expert_tip(pair)
    closest = closest_pair(pairs)
    if closest is None:
        return "linked through the group", "linked through the group"
    return (f"through the group: {plain_words(closest)}",
            f"through the group: {expert_tip(closest)}")


def group_facts(files: Sequence[GroupFile], taken: Callable[[GroupFile], int | None],
                group: Group | None = None, keepers: frozenset[str] = frozenset(),
                reason: str = "", origin: Callable[[GroupFile], str] = lambda _file: ""
                ) -> list[FileFacts]:
    """Facts per file; `reason` is the keeper rule that decided (the only fact starred);
    `taken` (which may read the file) is asked only for files the scan has no capture for;
    `origin` gives a file's provenance label ('' when not known)."""
    dates = [_date(f, taken(f) if f.capture is None else None) for f in files]
    rule = reason.partition(" (the original, ")[0]  # keep_rules._original_left's note
    decided = DECIDING_FACT.get(rule)
    best = {
        RESOLUTION: _best([-(f.width * f.height) for f in files]),
        SIZE: _best([-f.size for f in files]),
        DATE: _best([d[0] if rule != "newest date" else -d[0] for d in dates]),
    }
    best = {fact: winners for fact, winners in best.items() if fact == decided}
    result = []
    for i, (file, (_, kind, date, tip)) in enumerate(zip(files, dates, strict=True)):
        resolution = f"{file.width} × {file.height}" if file.width else "unreadable"
        camera = file.capture.camera if file.capture is not None else ""
        match, match_tip = match_text(group, file.path, keepers, reason,
                                      source=origin(file) == ORIGINAL)
        result.append(FileFacts(
            file.path, shown_name(os.path.basename(file.path)),
            shown_name(os.path.dirname(file.path)), resolution,
            human_bytes(file.size), file.format or "?", kind, date, tip, camera,
            frozenset(name for name, winners in best.items() if i in winners),
            match, travels_with(file.companions), origin(file), match_tip))
    return result
