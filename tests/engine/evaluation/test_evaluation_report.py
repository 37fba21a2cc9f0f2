"""The evaluation report: found groups or pairs against truth, tiers, and mistakes listed."""

from __future__ import annotations

import json

import pytest

from dedup_gui.engine.evaluation.report import (
    LINKED,
    Evidence,
    evaluate,
    found_from_groups,
    found_from_mapping,
)
from dedup_gui.engine.evaluation.truth import parse_truth

TRUTH = parse_truth([["a", "b", "c"], ["d", "e"]])


def test_groups_rank_direct_matches_first_then_linked_by_path() -> None:
    evidence = {("a", "c"): Evidence("resaved", 4, 0.9), ("a", "b"): Evidence("edited", 30, 0.8)}
    found = found_from_groups([["a", "b", "c"]], evidence)
    assert found.ranking["a"] == ("c", "b")
    assert found.ranking["b"] == ("a", "c")  # b~c is linked: after the direct match
    assert found.evidence[("b", "c")] == Evidence(LINKED)


def test_mapping_predictions_are_taken_as_pairs_in_their_order() -> None:
    found = found_from_mapping({"a": ["c", "b"], "b": [], "d": ["x"]})
    assert found.pairs == {("a", "b"), ("a", "c"), ("d", "x")}
    assert found.ranking["a"] == ("c", "b")
    assert set(found.groups) == {frozenset("abc"), frozenset("dx")}


def test_a_full_report_by_hand() -> None:
    evidence = {("a", "b"): Evidence("identical", 0, None),
                ("d", "x"): Evidence("edited", 28, 0.81),
                ("e", "x"): Evidence("edited", 30, 0.79)}
    found = found_from_groups([["a", "b"], ["d", "e", "x"]], evidence)
    signals = {("a", "c"): Evidence(None, 30, 0.5), ("b", "c"): Evidence("similar", 20, 0.7),
               ("d", "e"): Evidence(None, 12, 0.58)}
    report = evaluate(found, TRUTH, ["a", "b", "c", "d", "e", "x", "lone"],
                      lambda a, b: signals.get((a, b), Evidence()))
    assert (report.pairs.true_positives, report.pairs.found, report.pairs.expected) == (2, 4, 4)
    assert (report.groups.exact, report.groups.merged, report.groups.split,
            report.groups.missed) == (0, 1, 1, 0)
    tiers = {t.tier: (t.found, t.correct) for t in report.tiers}
    assert tiers == {"identical": (1, 1), "edited": (2, 0), LINKED: (1, 1)}
    # linked d~e gets its signals from the lookup; strongest mistakes first
    assert [(m.a, m.b) for m in report.false_positives] == [("d", "x"), ("e", "x")]
    assert [(m.a, m.b) for m in report.false_negatives] == [("b", "c"), ("a", "c")]
    assert report.false_negatives[0].evidence == Evidence("similar", 20, 0.7)
    assert report.retrieval.files == 7
    assert report.not_scanned == ()
    data = json.loads(json.dumps(report.to_dict()))
    assert data["pairs"]["precision"] == 0.5
    assert data["groups"]["truth"] == 2
    assert data["false_negatives"][0]["evidence"]["cosine"] == 0.7


def test_empty_predictions_report() -> None:
    report = evaluate(found_from_groups([]), TRUTH, ["a", "b", "c", "d", "e", "f"])
    assert (report.pairs.precision, report.pairs.recall) == (1.0, 0.0)
    assert report.groups.missed == 2
    assert report.retrieval.map == pytest.approx(1 / 6)  # only singleton f is right
    assert report.tiers == ()
    assert len(report.false_negatives) == 4


def test_truth_files_the_scan_did_not_see_are_listed() -> None:
    report = evaluate(found_from_groups([["a", "b"]]), TRUTH, ["a", "b", "c"])
    assert report.not_scanned == ("d", "e")
