"""Pair metrics on hand-computed cases."""

from __future__ import annotations

import pytest

from dedup_gui.engine.evaluation import pair_scores, pairs_of


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


def test_singletons_make_no_pairs() -> None:
    assert pair_scores([["a"]], [["a"], ["b"]]).found == 0
