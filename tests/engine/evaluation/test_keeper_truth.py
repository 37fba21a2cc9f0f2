"""Truth that names originals (a manifest or {groups, originals}) and keeper accuracy."""

from __future__ import annotations

import pytest

from dedup_gui.engine.actions.keep_rules import Proposal
from dedup_gui.engine.evaluation.keeper import keeper_report
from dedup_gui.engine.evaluation.truth import MANIFEST, TruthError, parse_truth
from dedup_gui.engine.types import Group, GroupFile


def test_a_manifest_gives_groups_and_originals() -> None:
    truth = parse_truth({"files": [
        {"path": "w/a_copy.jpg", "role": "variant", "variant_of": "d/a.jpg"},
        {"path": "d/a.jpg", "role": "original"},
        {"path": "b/Copy of a.jpg", "role": "exact_copy", "copy_of": "d/a.jpg"},
        {"path": "d/b.jpg", "role": "original"},  # no copies: in no group, still an original
        {"path": "x.jpg", "role": "hard_negative"},
    ]})
    assert truth.format == MANIFEST
    assert truth.groups == (("d/a.jpg", "w/a_copy.jpg", "b/Copy of a.jpg"),)
    assert truth.originals == {"d/a.jpg", "d/b.jpg"}


def test_a_manifest_copy_that_names_no_original_is_refused_not_read_as_ungrouped() -> None:
    """A variant that only says which photo it was drawn from (not which file) used to fall out
    of every group silently, so `evaluate --truth manifest.json` measured against one group."""
    with pytest.raises(TruthError, match="names no original"):
        parse_truth({"files": [
            {"path": "a.jpg", "role": "original", "source": "pool/a.jpg"},
            {"path": "edits/a.jpg", "role": "variant", "source": "pool/a.jpg"},
        ]})


def test_an_extended_groups_file_names_originals() -> None:
    truth = parse_truth({"groups": [["a.jpg", "b.jpg"]], "originals": ["a.jpg"]})
    assert truth.originals == {"a.jpg"} and len(truth.pairs) == 1
    with pytest.raises(TruthError):
        parse_truth({"groups": [["a.jpg", "b.jpg"]], "originals": "a.jpg"})


def _group(*paths: str) -> Group:
    return Group(tuple(GroupFile(p, 1, 1, 1, 1, "JPEG") for p in paths), ())


def _proposal(keep: str, group: Group) -> Proposal:
    return Proposal((keep,), tuple(f.path for f in group.files if f.path != keep), (), "")


def test_keeper_accuracy_counts_groups_with_exactly_one_original() -> None:
    groups = [_group("/r/a", "/r/a2"), _group("/r/b", "/r/b2"), _group("/r/c", "/r/d")]
    proposals = [_proposal("/r/a", groups[0]), _proposal("/r/b2", groups[1]),
                 _proposal("/r/c", groups[2])]
    names = {f"/r/{n}": n for n in ("a", "a2", "b", "b2", "c", "d")}
    report = keeper_report(groups, proposals, names, frozenset({"a", "b", "c", "d"}))
    assert (report.groups, report.kept) == (2, 1)  # c+d holds two originals: not counted
    assert report.misses == (("b", "b2", ""),)
    assert report.to_dict()["accuracy"] == 0.5


def test_keeping_a_byte_identical_copy_of_the_original_counts_as_keeping_it() -> None:
    """The same bytes are the same photo (a curator's check: evaluate listed a kept exact copy
    of the original as a wrong keeper); a re-save kept instead still counts as a miss."""
    from dataclasses import replace

    from dedup_gui.engine.tiers import IDENTICAL
    from dedup_gui.engine.types import Pair

    twin = replace(_group("/r/a", "/r/a2"),
                   pairs=(Pair("/r/a", "/r/a2", "identical bytes", 0, IDENTICAL),))
    resave = _group("/r/b", "/r/b2")
    report = keeper_report([twin, resave], [_proposal("/r/a2", twin), _proposal("/r/b2", resave)],
                           {f"/r/{n}": n for n in ("a", "a2", "b", "b2")}, frozenset({"a", "b"}))
    assert (report.groups, report.kept, report.twins) == (2, 1, 1)
    assert report.misses == (("b", "b2", ""),)
