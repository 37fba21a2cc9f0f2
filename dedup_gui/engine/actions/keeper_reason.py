"""The keeper reason in words when provenance chose it: what the keeper is, and what the others
are ("kept: the original camera photo; the others are a screenshot of it and a smaller re-save").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dedup_gui.engine.actions import provenance as p
from dedup_gui.engine.actions import provenance_marks as m
from dedup_gui.engine.actions.provenance_overlay import OVERLAY

# How each label reads after "the others are ..." (singular; "of it" points at the keeper).
_PHRASES = {
    p.SCREENSHOT: "a screenshot of it", p.PADDED: "a padded copy", p.CAPTIONED: "a meme of it",
    p.GREYSCALE: "a greyscale copy", p.UPSCALED: "an upscale", p.CROPPED: "a crop of it",
    p.ROTATED: "a rotated copy", p.SMALLER: "a smaller re-save",
    p.LOWER_QUALITY: "a lower-quality re-save", p.CONVERTED: "a format conversion",
    p.STRIPPED: "a re-save without camera data", p.EDITED: "an edited export",
    p.FILTERED: "a filtered copy", p.COPY: "a copy", m.IDENTICAL_COPY: "an identical copy",
    m.OTHER_COPY: "another version of it", OVERLAY: "a copy with text or a sticker added",
}


def keeper_sentence(keeper: str, others: Sequence[str],
                    provenance: Mapping[str, p.Provenance]) -> str:
    """'kept: the original [camera] photo; the others are X and Y' (the other is, for one).
    `provenance` should be relative to this keeper (provenance_marks.py), so the sentence says
    what the cards say; a file still labelled 'original' reads as 'a copy', never 'identical'."""
    own = provenance.get(keeper)
    what = "the original camera photo" if own is not None and own.camera else "the most original"
    if own is not None and own.labels:
        what = f"the most original (itself {own.label})"
    phrases = list(dict.fromkeys(_PHRASES.get(provenance[o].label, "a copy") if o in provenance
                                 else "a copy" for o in others))
    verb = "the other is" if len(others) == 1 else "the others are"
    return f"kept: {what}; {verb} {_join(phrases)}"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
