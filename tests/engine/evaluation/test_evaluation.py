"""Every evaluation metric on small cases computed by hand."""

from __future__ import annotations

import math

import pytest

from dedup_gui.engine.evaluation.metrics import (
    EXACT,
    MERGED,
    MISSED,
    SPLIT,
    GroupCounts,
    average_precision,
    group_counts,
    group_outcome,
    jaccard,
    ndcg,
    pair_scores,
    pairs_of,
    retrieval_scores,
)


def test_pairs_of_a_group_of_three() -> None:
    assert pairs_of([["b", "a", "c"]]) == {("a", "b"), ("a", "c"), ("b", "c")}


def test_hand_computed_precision_and_recall() -> None:
    truth = [["a", "b", "c"], ["d", "e"]]  # 3 + 1 = 4 true pairs
    found = [["a", "b"], ["c", "d"]]  # (a,b) right, (c,d) wrong
    scores = pair_scores(found, truth)
    assert (scores.true_positives, scores.found, scores.expected) == (1, 2, 4)
    assert scores.precision == 0.5
    assert scores.recall == 0.25
    assert scores.f1 == pytest.approx(2 * 0.5 * 0.25 / 0.75)


def test_empty_prediction_has_full_precision_and_no_recall() -> None:
    scores = pair_scores([], [["a", "b"]])
    assert (scores.precision, scores.recall, scores.f1) == (1.0, 0.0, 0.0)


def test_nothing_to_find_and_nothing_found_is_perfect() -> None:
    scores = pair_scores([], [])
    assert (scores.precision, scores.recall, scores.f1) == (1.0, 1.0, 1.0)


def test_singletons_make_no_pairs() -> None:
    assert pair_scores([["a"]], [["a"], ["b"]]).found == 0


def test_overlapping_found_groups_count_each_pair_once() -> None:
    scores = pair_scores([["a", "b"], ["b", "c"], ["b", "a"]], [["a", "b", "c"]])
    assert (scores.true_positives, scores.found, scores.expected) == (2, 2, 3)


# -- per-file retrieval metrics, imagededup's definitions ---------------------------------

def test_average_precision_by_hand() -> None:
    # relevant at ranks 1 and 3: (1/1 + 2/3) / 2 true files
    assert average_precision({"b", "c"}, ["b", "x", "c"]) == pytest.approx((1 + 2 / 3) / 2)
    # a true file never retrieved still counts in the denominator
    assert average_precision({"b", "c", "d"}, ["b"]) == pytest.approx(1 / 3)
    assert average_precision({"b"}, ["x", "b"]) == pytest.approx(0.5)


def test_ndcg_by_hand_including_imagededups_ideal_ranking() -> None:
    dcg = 1 / math.log2(2) + 1 / math.log2(4)  # relevant at ranks 1 and 3
    ideal = 1 / math.log2(2) + 1 / math.log2(3)  # the same list, relevant ones first
    assert ndcg({"b", "c"}, ["b", "x", "c"]) == pytest.approx(dcg / ideal)
    # imagededup's ideal is the retrieved list re-sorted: missing true files cost nothing
    assert ndcg({"b", "c", "d"}, ["b"]) == 1.0
    assert ndcg({"b"}, ["x", "y"]) == 0.0


def test_jaccard_by_hand() -> None:
    assert jaccard({"b", "c"}, ["b", "x", "c"]) == pytest.approx(2 / 3)
    assert jaccard({"b"}, ["x"]) == 0.0


@pytest.mark.parametrize("metric", [average_precision, ndcg, jaccard])
def test_edge_cases_of_every_retrieval_metric(metric) -> None:
    assert metric(set(), []) == 1.0  # a singleton with nothing retrieved: right
    assert metric({"b"}, []) == 0.0  # nothing retrieved for a duplicate: missed
    assert metric(set(), ["b"]) == 0.0  # something retrieved for a singleton: wrong
    assert metric({"b", "c"}, ["c", "b"]) == 1.0


def test_retrieval_means_run_over_every_file_singletons_included() -> None:
    correct = {"a": {"b"}, "b": {"a"}}
    retrieved = {"a": ["b"], "b": ["a", "c"], "c": ["b"]}
    scores = retrieval_scores(["a", "b", "c", "d"], correct, retrieved)
    assert scores.files == 4
    assert scores.map == pytest.approx((1 + 1 + 0 + 1) / 4)
    assert scores.jaccard == pytest.approx((1 + 0.5 + 0 + 1) / 4)
    assert scores.ndcg == pytest.approx((1 + 1 + 0 + 1) / 4)


def test_retrieval_with_no_files_is_perfect_and_with_no_predictions_scores_singletons() -> None:
    assert retrieval_scores([], {}, {}).map == 1.0
    scores = retrieval_scores(["a", "b", "c"], {"a": {"b"}, "b": {"a"}}, {})
    assert scores.map == pytest.approx(1 / 3)  # only the singleton c is right


# -- whole groups ---------------------------------------------------------------------------

def test_group_outcomes_by_hand() -> None:
    found = [frozenset("abc"), frozenset("dex"), frozenset("jk"), frozenset("lm")]
    assert group_outcome("abc", found) == EXACT
    assert group_outcome("de", found) == MERGED
    assert group_outcome("jkl", found) == SPLIT
    assert group_outcome("fg", found) == MISSED
    assert group_outcome("hi", [frozenset("hy")]) == MISSED  # with an outsider, alone


def test_group_counts_with_spurious_and_overlapping_found_groups() -> None:
    truth = [("a", "b", "c"), ("d", "e"), ("f", "g"), ("j", "k", "l")]
    found = [("a", "b", "c"), ("d", "e", "x"), ("f",), ("j", "k"), ("l", "m"), ("k", "j")]
    counts = group_counts(truth, found, pairs_of(truth))
    assert counts == GroupCounts(exact=1, merged=1, split=1, missed=1, spurious=1)


def test_group_counts_of_empty_predictions() -> None:
    truth = [("a", "b"), ("c", "d", "e")]
    assert group_counts(truth, [], pairs_of(truth)) == GroupCounts(missed=2)
    assert group_counts([], [("a", "b")], set()) == GroupCounts(spurious=1)
