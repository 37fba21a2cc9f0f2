"""Metrics of found duplicates against ground truth: pairs, per-file retrieval, whole groups.

- Pairs. A pair is two files in the same group. Precision: found pairs that are true; recall:
  true pairs that were found; F1 their harmonic mean. With nothing found precision is 1.0 (no
  wrong claim was made), with nothing to find recall is 1.0.
- Per-file retrieval, exactly as imagededup defines it (its `handlers/metrics`): for every file,
  the files retrieved as its duplicates (best first) against its true duplicates, then the mean
  over all files. A file with nothing to find and nothing retrieved scores 1.0; nothing
  retrieved or nothing to find (but not both) scores 0.0.
  - average precision: Σ_k precision@k · rel_k over the retrieved list, / number of true ones;
  - NDCG: DCG of the retrieved list (gain 2^rel − 1, discount log2(k + 1)) over the DCG of the
    same list sorted best first (imagededup's ideal ranking ignores true files never retrieved);
  - Jaccard: |retrieved ∩ true| / |retrieved ∪ true|.
- Groups. Each true group is *exact* (a found group holds exactly its files), *merged* (a found
  group holds all its files and others), *split* (some but not all of its files were found
  together), or *missed* (no two of its files share a found group). A found group with no true
  pair in it is *spurious*.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

EXACT, MERGED, SPLIT, MISSED = "exact", "merged", "split", "missed"


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
    """Pair scores of found groups against true groups."""
    return scores_of_pairs(pairs_of(found), pairs_of(truth))


def scores_of_pairs(found: Collection[tuple[str, str]],
                    truth: Collection[tuple[str, str]]) -> PairScores:
    """Pair scores of found pairs against true pairs (both as sorted tuples)."""
    found, truth = set(found), set(truth)
    return PairScores(len(found & truth), len(found), len(truth))


# -- per-file retrieval metrics (imagededup's definitions) ------------------------------------

def _trivial(correct: Collection[str], retrieved: Sequence[str]) -> float | None:
    """imagededup's edge cases: both empty is perfect, one empty is a total miss."""
    if not correct and not retrieved:
        return 1.0
    if not correct or not retrieved:
        return 0.0
    return None


def average_precision(correct: Collection[str], retrieved: Sequence[str]) -> float:
    if (edge := _trivial(correct, retrieved)) is not None:
        return edge
    hits, total = 0, 0.0
    for k, name in enumerate(retrieved, start=1):
        if name in correct:
            hits += 1
            total += hits / k
    return total / len(correct)


def _dcg(relevance: Sequence[int]) -> float:
    return sum((2**rel - 1) / math.log2(k + 2) for k, rel in enumerate(relevance))


def ndcg(correct: Collection[str], retrieved: Sequence[str]) -> float:
    if (edge := _trivial(correct, retrieved)) is not None:
        return edge
    relevance = [1 if name in correct else 0 for name in retrieved]
    dcg = _dcg(relevance)
    return dcg / _dcg(sorted(relevance, reverse=True)) if dcg else 0.0


def jaccard(correct: Collection[str], retrieved: Sequence[str]) -> float:
    if (edge := _trivial(correct, retrieved)) is not None:
        return edge
    correct_set, retrieved_set = set(correct), set(retrieved)
    return len(correct_set & retrieved_set) / len(correct_set | retrieved_set)


@dataclass(frozen=True, slots=True)
class RetrievalScores:
    """Means over `files` of the per-file metrics."""

    map: float
    ndcg: float
    jaccard: float
    files: int


def retrieval_scores(files: Iterable[str], correct: Mapping[str, Collection[str]],
                     retrieved: Mapping[str, Sequence[str]]) -> RetrievalScores:
    """Mean AP, NDCG and Jaccard over `files` (imagededup: every file of the library)."""
    names = sorted(set(files))
    if not names:
        return RetrievalScores(1.0, 1.0, 1.0, 0)
    sums = [0.0, 0.0, 0.0]
    for name in names:
        want, got = correct.get(name, ()), retrieved.get(name, ())
        for index, metric in enumerate((average_precision, ndcg, jaccard)):
            sums[index] += metric(want, got)
    return RetrievalScores(*(total / len(names) for total in sums), len(names))


# -- whole groups -----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class GroupCounts:
    exact: int = 0
    merged: int = 0
    split: int = 0
    missed: int = 0
    spurious: int = 0  # found groups without a single true pair


def group_outcome(group: Collection[str], found: Sequence[frozenset[str]]) -> str:
    """How one true group came out among the found groups (which may overlap)."""
    members = frozenset(group)
    together = [found_group & members for found_group in found]
    for found_group, shared in zip(found, together, strict=True):
        if shared == members:
            return EXACT if found_group == members else MERGED
    return SPLIT if any(len(shared) > 1 for shared in together) else MISSED


def group_counts(truth_groups: Iterable[Collection[str]], found_groups: Iterable[Collection[str]],
                 truth_pairs: Collection[tuple[str, str]]) -> GroupCounts:
    found = [frozenset(g) for g in found_groups if len(set(g)) > 1]
    outcomes = [group_outcome(g, found) for g in truth_groups if len(set(g)) > 1]
    true_pairs = set(truth_pairs)
    spurious = sum(1 for g in found if not pairs_of([tuple(g)]) & true_pairs)
    return GroupCounts(outcomes.count(EXACT), outcomes.count(MERGED), outcomes.count(SPLIT),
                       outcomes.count(MISSED), spurious)
