"""One evaluation report: found duplicates (groups or pairs) against a `Truth`.

It gathers the metrics of engine/evaluation/metrics.py, precision per tier (each found pair
carries the tier it matched in; pairs in one group only through the others are "linked"), and the
mistakes with their evidence, strongest first, so a person can look at the worst ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field

from dedup_gui.engine.evaluation.metrics import (
    GroupCounts,
    PairScores,
    RetrievalScores,
    group_counts,
    retrieval_scores,
    scores_of_pairs,
)
from dedup_gui.engine.evaluation.truth import Truth, connected_groups
from dedup_gui.engine.pathtext import path_fields, path_list_fields
from dedup_gui.engine.tiers import TIERS
from dedup_gui.engine.types import Group

LINKED = "linked"  # in one group through the others, not itself a match


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why two files matched or not: the tier the signals give (None: no match) and the
    signals themselves (None where not computed)."""

    tier: str | None = None
    hash_distance: int | None = None
    cosine: float | None = None

    def sort_key(self) -> tuple[int, float, int]:
        """Strongest first: tier, then higher cosine, then smaller hash distance."""
        rank = TIERS.index(self.tier) if self.tier in TIERS else len(TIERS)
        cosine = -self.cosine if self.cosine is not None else 2.0
        distance = self.hash_distance if self.hash_distance is not None else 1 << 16
        return (rank, cosine, distance)


@dataclass(frozen=True, slots=True)
class Found:
    """What a tool found: pairs, each file's retrieved duplicates best first, groups, and the
    evidence of the pairs it reported (may be empty)."""

    pairs: frozenset[tuple[str, str]]
    ranking: Mapping[str, tuple[str, ...]]
    groups: tuple[frozenset[str], ...]
    evidence: Mapping[tuple[str, str], Evidence] = field(default_factory=dict)


def _key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def found_from_groups(groups: Iterable[Sequence[str]],
                      evidence: Mapping[tuple[str, str], Evidence] | None = None) -> Found:
    """Every two files of a group are a found pair; each file retrieves its group mates,
    direct matches first (by evidence), then the linked ones, by path."""
    evidence = dict(evidence or {})
    clean = tuple(frozenset(g) for g in groups if len(set(g)) > 1)
    pairs, mates = set(), {}
    for group in clean:
        for a in group:
            mates.setdefault(a, set()).update(group - {a})
            pairs.update(_key(a, b) for b in group if a < b)
    if evidence:
        for pair in pairs:
            evidence.setdefault(pair, Evidence(LINKED))
    strength = lambda a, b: (evidence.get(_key(a, b), Evidence()).sort_key(), b)  # noqa: E731
    ranking = {a: tuple(sorted(others, key=lambda b, a=a: strength(a, b)))
               for a, others in mates.items()}
    return Found(frozenset(pairs), ranking, clean, evidence)


def found_from_mapping(mapping: Mapping[str, Sequence[str]]) -> Found:
    """imagededup's output format: file -> its duplicates, best first. Pairs are taken as
    claimed (not closed transitively); groups are the connected components."""
    pairs = {_key(a, b) for a, others in mapping.items() for b in others if a != b}
    ranking = {a: tuple(dict.fromkeys(b for b in others if b != a))
               for a, others in mapping.items()}
    return Found(frozenset(pairs), ranking, tuple(frozenset(g) for g in connected_groups(pairs)))


def found_from_scan(groups: Iterable[Group], names: Mapping[str, str]) -> Found:
    """A scan's groups, with every matching pair's tier and signals; `names` maps the scan's
    paths to the names the truth uses."""
    groups = tuple(groups)
    evidence = {}
    for group in groups:
        for pair in group.pairs:
            distance = pair.distance if pair.distance >= 0 else None
            evidence[_key(names[pair.a], names[pair.b])] = Evidence(pair.tier, distance,
                                                                    pair.cosine)
    return found_from_groups([[names[f.path] for f in g.files] for g in groups], evidence)


@dataclass(frozen=True, slots=True)
class TierScores:
    """Found pairs of one tier: how many, how many true; their share of all true pairs."""

    tier: str
    found: int
    correct: int
    expected: int

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0

    @property
    def recall_share(self) -> float:
        return self.correct / self.expected if self.expected else 0.0


@dataclass(frozen=True, slots=True)
class Mistake:
    a: str
    b: str
    evidence: Evidence

    def to_dict(self) -> dict:
        """As JSON: the names readable, with their exact bytes where they are not UTF-8."""
        return {**path_fields("a", self.a), **path_fields("b", self.b),
                "evidence": asdict(self.evidence)}


@dataclass(frozen=True, slots=True)
class Report:
    pairs: PairScores
    retrieval: RetrievalScores
    groups: GroupCounts
    tiers: tuple[TierScores, ...]
    false_positives: tuple[Mistake, ...]
    false_negatives: tuple[Mistake, ...]
    truth_groups: int
    not_scanned: tuple[str, ...]  # files the truth names that the scan did not see

    def to_dict(self) -> dict:
        """Plain JSON-ready numbers; the derived scores are spelled out."""
        pairs = self.pairs
        return {
            "pairs": {**asdict(pairs), "precision": pairs.precision, "recall": pairs.recall,
                      "f1": pairs.f1},
            "retrieval": asdict(self.retrieval),
            "groups": {"truth": self.truth_groups, **asdict(self.groups)},
            "tiers": [{**asdict(t), "precision": t.precision, "recall_share": t.recall_share}
                      for t in self.tiers],
            "false_positives": [m.to_dict() for m in self.false_positives],
            "false_negatives": [m.to_dict() for m in self.false_negatives],
            **path_list_fields("not_scanned", list(self.not_scanned)),
        }


def evaluate(found: Found, truth: Truth, files: Iterable[str] = (),
             evidence_of: Callable[[str, str], Evidence] | None = None) -> Report:
    """The full report. `files`: every file the tool looked at (with the truth's own files,
    the population of the per-file metrics); `evidence_of` gives signals for missed pairs."""
    scanned = set(files)
    population = scanned | truth.files | {f for pair in found.pairs for f in pair}
    retrieval = retrieval_scores(population, truth.partners(), found.ranking)
    wrong = sorted(found.pairs - truth.pairs)
    missed = sorted(truth.pairs - found.pairs)
    return Report(
        pairs=scores_of_pairs(found.pairs, truth.pairs),
        retrieval=retrieval,
        groups=group_counts(truth.groups, found.groups, truth.pairs),
        tiers=_tier_scores(found, truth),
        false_positives=_strongest_first(wrong, _reported(found, evidence_of)),
        false_negatives=_strongest_first(missed, evidence_of),
        truth_groups=len(truth.groups),
        not_scanned=tuple(sorted(truth.files - scanned)) if scanned else (),
    )


def _reported(found: Found, evidence_of: Callable[[str, str], Evidence] | None
              ) -> Callable[[str, str], Evidence | None]:
    """A found pair's own evidence, its signals filled in from `evidence_of` when the pair
    carries none (a linked pair, or a tool that reports no distances)."""
    def lookup(a: str, b: str) -> Evidence | None:
        own = found.evidence.get((a, b))
        if evidence_of is None or (own is not None and own.tier != LINKED):
            return own
        signals = evidence_of(a, b)
        return Evidence(own.tier if own else None, signals.hash_distance, signals.cosine)
    return lookup


def _tier_scores(found: Found, truth: Truth) -> tuple[TierScores, ...]:
    by_tier: dict[str, list[int]] = {}
    for pair in found.pairs:
        evidence = found.evidence.get(pair)
        if evidence is None:
            continue
        counts = by_tier.setdefault(evidence.tier or LINKED, [0, 0])
        counts[0] += 1
        counts[1] += pair in truth.pairs
    order = (*TIERS, LINKED)
    return tuple(TierScores(tier, *by_tier[tier], len(truth.pairs))
                 for tier in order if tier in by_tier)


def _strongest_first(pairs: Sequence[tuple[str, str]],
                     evidence_of: Callable[[str, str], Evidence | None] | None
                     ) -> tuple[Mistake, ...]:
    if evidence_of is None:
        return tuple(Mistake(a, b, Evidence()) for a, b in pairs)
    mistakes = [Mistake(a, b, evidence_of(a, b) or Evidence()) for a, b in pairs]
    return tuple(sorted(mistakes, key=lambda m: (m.evidence.sort_key(), m.a, m.b)))
