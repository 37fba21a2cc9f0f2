"""The keeper reason in words when provenance chose it: what the keeper is, and what the others
are ("kept: the original camera photo; the others are a screenshot of it and a smaller re-save").
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping, Sequence

from dedup_gui.engine.actions import provenance as p
from dedup_gui.engine.actions import provenance_marks as m
from dedup_gui.engine.actions.own_edits import OWN_EDITS
from dedup_gui.engine.actions.provenance_overlay import OVERLAY
from dedup_gui.engine.types import Group, GroupFile

# How each label reads after "the others are ..." for one file and for several ("of it"
# points at the keeper).
_PHRASES = {
    p.SCREENSHOT: ("a screenshot of it", "screenshots of it"),
    p.PADDED: ("a padded copy", "padded copies"), p.CAPTIONED: ("a meme of it", "memes of it"),
    p.GREYSCALE: ("a greyscale copy", "greyscale copies"), p.UPSCALED: ("an upscale", "upscales"),
    p.SOFTENED: ("a softened copy", "softened copies"),
    p.CROPPED: ("a crop of it", "crops of it"), p.ROTATED: ("a rotated copy", "rotated copies"),
    p.SMALLER: ("a smaller re-save", "smaller re-saves"),
    p.LOWER_QUALITY: ("a lower-quality re-save", "lower-quality re-saves"),
    p.CONVERTED: ("a format conversion", "format conversions"),
    p.STRIPPED: ("a re-save without camera data", "re-saves without camera data"),
    p.EDITED: ("an edited export", "edited exports"),
    p.FILTERED: ("a filtered copy", "filtered copies"),
    p.RECOMPRESSED: ("a heavily compressed re-save", "heavily compressed re-saves"),
    p.RESAVED_FROM: ("a re-save of it", "re-saves of it"),
    p.COPY: ("a copy", "copies"),
    m.IDENTICAL_COPY: ("an identical copy", "identical copies"),
    m.OTHER_COPY: ("another version of it", "other versions of it"),
    **dict.fromkeys(OWN_EDITS, ("your own edit of it", "your own edits of it")),
    OVERLAY: ("a copy with text or a sticker added", "copies with text or stickers added"),
}
_A_COPY = _PHRASES[p.COPY]
_COUNTS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def keeper_sentence(keeper: str, others: Sequence[str],
                    provenance: Mapping[str, p.Provenance]) -> str:
    """'kept: the original [camera] photo; the others are X and Y' (the other is, for one).
    `provenance` should be relative to this keeper (provenance_marks.py), so the sentence says
    what the cards say; a file still labelled 'original' reads as 'a copy', never 'identical'."""
    own = provenance.get(keeper)
    what = "the original camera photo" if own is not None and own.camera else "the most original"
    if own is not None and own.labels:
        what = f"the most original (itself {own.label})"
    if not others:  # every other file is kept beside it (kept_too.py)
        return f"kept: {what}"
    kinds = Counter(_PHRASES.get(provenance[o].label, _A_COPY) if o in provenance else _A_COPY
                    for o in others)
    phrases = [one if n == 1 else f"{_number(n)} {several}" for (one, several), n in kinds.items()]
    verb = "the other is" if len(others) == 1 else "the others are"
    return f"kept: {what}; {verb} {_join(phrases)}"


def _number(count: int) -> str:
    return _COUNTS[count - 2] if 2 <= count < 2 + len(_COUNTS) else str(count)


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def earlier_rules(beaten: Sequence[tuple[str, str]], keeper: str,
                  provenance: Mapping[str, p.Provenance] | None) -> str:
    """What to say before the deciding rule when files that win by it were set apart by an
    earlier one ("likelier original by folder and name, then "; '' when none). Why: a meme
    group read "kept by the rule largest file" while a larger file was marked Remove: it lost
    first, on its folder (a messenger's), and the words named only the last rule (a
    first-user check). `beaten`: (the rule's name each such file lost on, its path)."""
    if not beaten:
        return ""
    known = provenance or {}

    def labels(path: str) -> tuple[str, ...]:
        return known[path].labels if path in known else ()

    words = sorted({("likelier original by folder and name" if labels(path) == labels(keeper)
                     else "most original") if rule == "most original" else rule
                    for rule, path in beaten})
    return ", ".join(words) + ", then "


def original_left(group: Group, keeper: GroupFile,
                   provenance: Mapping[str, p.Provenance] | None) -> str:
    """What the header must add when a rule above "most original" kept a copy made from
    another file of the group: that file, the original, is marked Remove. Why: with "largest
    file" first a screenshot of a photo was kept and the reason said only "largest file" (a
    real-window check); accepted, the suggestion trashes the original."""
    sources = m.sources_of_keeper(group, provenance or {}, keeper)
    first = next((f for f in group.files if f.path in sources), None)
    return f" (the original, {os.path.basename(first.path)}, is marked Remove)" if first else ""
