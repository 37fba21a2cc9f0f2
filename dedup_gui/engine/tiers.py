"""Plain-language match tiers, from a pair's hash distance and embedding cosine.

Hashes find candidates fast and are precise for re-saved copies; the CNN embedding confirms them
and extends matching to edits that move pixels (crops, flips, rotations, captions, screenshots):

- identical file       same bytes;
- same picture re-saved  hashes close AND embeddings agree (resized, re-encoded, recompressed);
- edited copy          embeddings close (cosine ≥ edited_cosine) whatever the hashes say;
- similar shot         embeddings somewhat close (a burst, the same scene a moment later).

Without embeddings (hash-only scans) a pair within the hash threshold is "re-saved". The default
thresholds come from the dev sets (README, "How well it works"), chosen for precision.
"""

from __future__ import annotations

from dataclasses import dataclass

IDENTICAL, RESAVED, EDITED, SIMILAR = "identical", "resaved", "edited", "similar"
TIERS = (IDENTICAL, RESAVED, EDITED, SIMILAR)  # strongest first
TIER_LABELS = {IDENTICAL: "identical file", RESAVED: "same picture re-saved",
               EDITED: "edited copy", SIMILAR: "similar shot"}
DEFAULT_TIERS = frozenset({IDENTICAL, RESAVED, EDITED})


@dataclass(frozen=True, slots=True)
class TierThresholds:
    """Defaults measured on both dev sets (README, "How well it works"); all four rules agree
    between 0.74 and 0.78 on both, so the values are not tuned to one set's files."""

    hash_distance: int = 10
    confirm_cosine: float = 0.60  # hashes close: the embedding must not contradict them
    edited_cosine: float = 0.76  # lowest cosine for "edited copy" on its own
    similar_cosine: float = 0.62  # lowest cosine for "similar shot" (not counted by default)
    group_cosine: float = 0.60  # how alike any two members of one group must at least be


DEFAULT_TIER_THRESHOLDS = TierThresholds()


@dataclass(frozen=True, slots=True)
class Edge:
    """Why two units match: their tier and the evidence (hash distance, cosine)."""

    tier: str
    hash_distance: int | None
    cosine: float | None
    note: str = ""  # what verification found (grouping/verify.py): "pixels agree (…)"

    def sort_key(self) -> tuple[int, float, int]:
        """Strongest evidence first: tier, then higher cosine, then smaller hash distance."""
        return (TIERS.index(self.tier), -(self.cosine or 0.0), self.hash_distance or 0)

    def reason(self, hash_kind: str) -> str:
        evidence = []
        if self.hash_distance is not None:
            evidence.append(f"{hash_kind} distance {self.hash_distance}")
        if self.cosine is not None:
            evidence.append(f"cosine {self.cosine:.2f}")
        if self.note:
            evidence.append(self.note)
        return f"{TIER_LABELS[self.tier]} ({', '.join(evidence)})"


def classify(hash_distance: int | None, cosine: float | None,
             thresholds: TierThresholds) -> Edge | None:
    """The tier of a candidate pair, or None when the evidence is too weak (or contradicts)."""
    hashes_close = hash_distance is not None and hash_distance <= thresholds.hash_distance
    if cosine is None:
        return Edge(RESAVED, hash_distance, None) if hashes_close else None
    if hashes_close and cosine >= thresholds.confirm_cosine:
        return Edge(RESAVED, hash_distance, cosine)
    if cosine >= thresholds.edited_cosine:
        return Edge(EDITED, hash_distance, cosine)
    if cosine >= thresholds.similar_cosine:
        return Edge(SIMILAR, hash_distance, cosine)
    return None
