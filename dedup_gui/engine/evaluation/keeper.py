"""Keeper accuracy: in found groups that hold exactly one known original, how often the keeper
proposal keeps it (or a byte-identical copy of it: the same photo, bit for bit), and what it
keeps instead when it does not."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from dedup_gui.engine.actions.identical import identical_to
from dedup_gui.engine.actions.keep_rules import Proposal
from dedup_gui.engine.actions.provenance import Provenance
from dedup_gui.engine.types import Group


@dataclass(frozen=True, slots=True)
class KeeperReport:
    """`groups`: found groups holding exactly one original; `kept`: those whose keeper is it
    or a byte-identical copy of it (`twins` of them the copy); `misses`: (original, kept
    instead, the kept file's label) for the others."""

    groups: int
    kept: int
    misses: tuple[tuple[str, str, str], ...] = field(default=())
    twins: int = 0

    @property
    def accuracy(self) -> float:
        return self.kept / self.groups if self.groups else 1.0

    def to_dict(self) -> dict:
        return {"groups_with_one_original": self.groups, "keeper_is_original": self.kept,
                "keeper_is_an_identical_copy": self.twins,
                "accuracy": round(self.accuracy, 4),
                "kept_instead": [{"original": o, "kept": k, "kept_label": label}
                                 for o, k, label in self.misses]}


def keeper_report(groups: Sequence[Group], proposals: Sequence[Proposal],
                  names: Mapping[str, str], originals: frozenset[str],
                  provenance: Mapping[str, Provenance] | None = None) -> KeeperReport:
    """Score the proposals against the truth's originals (`names`: scanned path -> truth name)."""
    counted, kept, twins, misses = 0, 0, 0, []
    for group, proposal in zip(groups, proposals, strict=True):
        known = [f.path for f in group.files if names.get(f.path) in originals]
        if len(known) != 1:
            continue
        counted += 1
        if proposal.keep and proposal.keep[0] == known[0]:
            kept += 1
            continue
        if proposal.keep and proposal.keep[0] in identical_to(group, {known[0]}):
            kept, twins = kept + 1, twins + 1  # the same bytes: nothing of the photo is lost
            continue
        keeper = proposal.keep[0] if proposal.keep else ""
        label = provenance[keeper].label if provenance and keeper in provenance else ""
        misses.append((names[known[0]], names.get(keeper, keeper), label))
    return KeeperReport(counted, kept, tuple(misses), twins)
