"""Evaluating a real scan of a small generated library, and regrouping its cached signals."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from dedup_gui.engine.evaluation.run import (
    evaluate_scan,
    evidence_of,
    prepare_library,
    regroup,
    truth_root,
)
from dedup_gui.engine.evaluation.truth import parse_truth
from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.store.cache import Cache
from tests.library import EXPECTED_GROUPS, make_library, relative_groups


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_library(tmp_path_factory.mktemp("library"))


def params(root: Path, **options) -> ScanParams:
    return ScanParams(roots=(str(root),), workers=1, embeddings=False, **options)


@pytest.mark.parametrize("threshold", [0, 10, 30])
def test_regroup_gives_what_a_scan_gives(library: Path, threshold: int) -> None:
    prepared = prepare_library(params(library), Cache(None))
    scanned = run_scan(params(library, threshold=threshold), Cache(None))
    assert regroup(prepared, params(library, threshold=threshold)) == scanned.groups


def test_names_are_relative_to_the_scanned_folder(library: Path) -> None:
    prepared = prepare_library(params(library), Cache(None))
    assert "a/one.jpg" in prepared.names.values()
    assert truth_root([str(library / "a"), str(library / "b")]) == str(library)
    assert truth_root([str(library / "a/one.jpg")]) == str(library / "a")


def test_a_perfect_truth_scores_perfectly(library: Path) -> None:
    result, report = evaluate_scan(params(library), parse_truth(EXPECTED_GROUPS), Cache(None))
    assert relative_groups(result.groups, library) == EXPECTED_GROUPS
    assert (report.pairs.precision, report.pairs.recall) == (1.0, 1.0)
    assert (report.retrieval.map, report.retrieval.ndcg, report.retrieval.jaccard) == (1, 1, 1)
    assert report.groups.exact == 2
    assert {t.tier for t in report.tiers} == {"identical", "resaved"}


def test_mistakes_carry_the_signals_of_both_files(library: Path) -> None:
    truth = parse_truth([["a/one.jpg", "b/one_copy.jpg", "other/photo3.jpg"],
                         ["a/two.jpg", "c/two_q60.jpg"]])
    _, report = evaluate_scan(params(library), truth, Cache(None))
    missed = {(m.a, m.b): m.evidence for m in report.false_negatives}
    evidence = missed[("a/one.jpg", "other/photo3.jpg")]
    assert evidence.tier is None and evidence.hash_distance > 10 and evidence.cosine is None
    wrong = {(m.a, m.b) for m in report.false_positives}
    assert ("a/one.jpg", "b/one_small.jpg") in wrong
    assert report.groups.merged == 0 and report.groups.split == 1


def test_evidence_reports_identical_bytes_and_unknown_names(library: Path) -> None:
    setting = params(library)
    lookup = evidence_of(prepare_library(setting, Cache(None)), setting)
    assert lookup("a/one.jpg", "b/one_copy.jpg").tier == "identical"
    assert lookup("a/one.jpg", "nowhere.jpg").tier is None
    assert lookup("a/one.jpg", "other/photo3.jpg").tier is None
    loose = evidence_of(prepare_library(setting, Cache(None)), replace(setting, threshold=64))
    assert loose("a/one.jpg", "other/photo3.jpg").tier == "resaved"


def test_regroup_with_embeddings_gives_what_a_scan_gives(library: Path) -> None:
    setting = replace(params(library), embeddings=True)
    prepared = prepare_library(setting, Cache(None))
    assert len(prepared.embeddings) == 9
    assert regroup(prepared, setting) == run_scan(setting, Cache(None)).groups
