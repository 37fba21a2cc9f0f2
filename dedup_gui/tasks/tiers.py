"""The plain-language tier of a group, read from the engine in ONE adapter function.

The engine's Group.tier is one of "identical", "resaved", "edited", "similar" (engine/tiers.py).
An engine without tiers (older results) falls back to the pair reasons: all pairs "identical
bytes" means identical files, anything else a re-saved picture.
"""

from __future__ import annotations

from enum import Enum

from dedup_gui.engine.types import Group

IDENTICAL_REASON = "identical bytes"


class Tier(Enum):
    """Ordered from the safest to remove to the one that most needs a look."""

    IDENTICAL = ("identical", "Identical file")
    RESAVED = ("resaved", "Same picture re-saved")
    EDITED = ("edited", "Edited copy")
    SIMILAR = ("similar", "Similar shot")

    def __init__(self, key: str, label: str) -> None:
        self.key = key
        self.label = label

    @property
    def rank(self) -> int:
        return list(Tier).index(self)

    @classmethod
    def from_key(cls, key: str) -> Tier | None:
        return next((tier for tier in cls if tier.key == key), None)


def group_tier(group: Group) -> Tier:
    """The tier shown for `group`: the engine's when it has one, else derived from the reasons."""
    engine_tier = getattr(group, "tier", None)
    if isinstance(engine_tier, str):
        return Tier.from_key(engine_tier) or Tier.SIMILAR
    if group.pairs and all(pair.reason == IDENTICAL_REASON for pair in group.pairs):
        return Tier.IDENTICAL
    return Tier.RESAVED
