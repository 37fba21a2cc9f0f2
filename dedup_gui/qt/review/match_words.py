"""How two files matched, in words a person reads at a glance; the engine's numbers for experts.

The engine says "edited copy (phash distance 30, cosine 0.84)": a first-user review called the
numbers jargon. The card says "edited copy: looks 84 % alike, shapes or shading changed" and
keeps the engine's sentence, with what its numbers mean, for the tooltip. The fingerprint is
the light and dark of a small grey picture, not its pixels: a greyscale copy has the colour
original's fingerprint, and "looks 83 % alike, same pixels" contradicted itself (a real-window
check).
"""

from __future__ import annotations

from dedup_gui.engine.tiers import DEFAULT_TIER_THRESHOLDS, IDENTICAL, TIER_LABELS
from dedup_gui.engine.types import Pair

NUMBERS_TIP = ("The hash distance counts how many of the 64 bits of the two pictures' "
               "fingerprints differ (0: the same shapes and shading at a small size, colour "
               "aside); the cosine is how alike the image "
               "model finds what they show (1: the same).")


def pixels_words(distance: int) -> str:
    """The fingerprint distance in words (the same scale as the grouping's threshold)."""
    if distance == 0:
        return "same shapes and shading"
    if distance <= DEFAULT_TIER_THRESHOLDS.hash_distance:
        return "nearly the same shapes and shading"
    return "shapes or shading changed"


def plain_words(pair: Pair, label: str | None = None) -> str:
    """'same picture re-saved: looks 95 % alike, nearly the same shapes and shading';
    `label` instead of the pair's kind where given."""
    if pair.tier == IDENTICAL:
        return "identical file: the same bytes"
    label = label or TIER_LABELS.get(pair.tier)
    if label is None:  # older results with a tier this version does not know
        return pair.reason
    words = []
    if pair.cosine is not None:
        words.append(f"looks {round(pair.cosine * 100)}\u00a0% alike")  # never "100 / %"
    if pair.distance >= 0:
        words.append(pixels_words(pair.distance))
    return f"{label}: {', '.join(words)}" if words else label


def expert_tip(pair: Pair) -> str:
    """The engine's own sentence, its numbers explained."""
    if pair.tier == IDENTICAL:
        return pair.reason
    return f"{pair.reason}\n{NUMBERS_TIP}"
