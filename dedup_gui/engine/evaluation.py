"""Pair precision and recall of found groups against ground-truth groups.

A pair is two files in the same group. Precision: found pairs that are true; recall: true pairs
that were found. (The evaluation issue extends this with retrieval metrics and group counts.)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations


@dataclass(frozen=True, slots=True)
class PairScores:
    true_positives: int
    found: int
    expected: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def pairs_of(groups: Iterable[Sequence[str]]) -> set[tuple[str, str]]:
    """Every unordered pair of paths that share a group, as sorted tuples."""
    return {tuple(sorted(pair)) for group in groups for pair in combinations(set(group), 2)}


def pair_scores(found: Iterable[Sequence[str]], truth: Iterable[Sequence[str]]) -> PairScores:
    found_pairs, true_pairs = pairs_of(found), pairs_of(truth)
    return PairScores(len(found_pairs & true_pairs), len(found_pairs), len(true_pairs))
