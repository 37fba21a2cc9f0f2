"""Ground truth in both formats, and one clear line for every kind of bad truth file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dedup_gui.engine.evaluation.truth import GROUPS, MAPPING, TruthError, load_truth, parse_truth


def write(tmp_path: Path, data, name: str = "truth.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def test_groups_format() -> None:
    truth = parse_truth([["a.jpg", "x/b.jpg", "./c.jpg"], ["d.jpg", "e.jpg"], ["lone.jpg"]])
    assert truth.format == GROUPS
    assert truth.pairs == {("a.jpg", "c.jpg"), ("a.jpg", "x/b.jpg"), ("c.jpg", "x/b.jpg"),
                           ("d.jpg", "e.jpg")}
    assert truth.groups == (("a.jpg", "x/b.jpg", "c.jpg"), ("d.jpg", "e.jpg"))
    assert "lone.jpg" in truth.files
    assert truth.partners()["a.jpg"] == {"x/b.jpg", "c.jpg"}


def test_imagededup_mapping_format_gives_the_same_pairs_and_groups() -> None:
    mapping = {"a.jpg": ["x/b.jpg", "c.jpg"], "x/b.jpg": ["a.jpg"], "c.jpg": [],
               "d.jpg": ["e.jpg"], "e.jpg": ["d.jpg"], "lone.jpg": []}
    truth = parse_truth(mapping)
    groups = parse_truth([["a.jpg", "x/b.jpg", "c.jpg"], ["d.jpg", "e.jpg"], ["lone.jpg"]])
    assert truth.format == MAPPING
    assert truth.files == groups.files
    # the mapping says a~b and a~c but not b~c: pairs are taken as given
    assert truth.pairs == groups.pairs - {("c.jpg", "x/b.jpg")}
    assert truth.groups == (("a.jpg", "c.jpg", "x/b.jpg"), ("d.jpg", "e.jpg"))


def test_a_file_listing_itself_and_duplicate_members_are_ignored() -> None:
    assert parse_truth({"a.jpg": ["a.jpg"]}).pairs == frozenset()
    assert parse_truth([["a.jpg", "a.jpg"]]).groups == ()


def test_absolute_paths_under_the_root_become_relative(tmp_path: Path) -> None:
    truth = parse_truth([[str(tmp_path / "a.jpg"), "b.jpg"]], root=tmp_path)
    assert truth.pairs == {("a.jpg", "b.jpg")}


def test_an_empty_truth_is_valid() -> None:
    assert parse_truth([]).pairs == frozenset()
    assert parse_truth({}).files == frozenset()


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "is not valid JSON: Expecting property name enclosed in double quotes "
                  "(line 1, column 2)"),
    ("42", "expected a list of groups of paths or a mapping of file to duplicates, got a "
           "JSON int"),
    ('[["a.jpg", "b.jpg"], "c.jpg"]', "group 2 is not a list of paths"),
    ('[["a.jpg", 3]]', "group 1 is not a list of paths"),
    ('{"a.jpg": "b.jpg"}', "the duplicates of 'a.jpg' are not a list of paths"),
    ('[["../a.jpg", "b.jpg"]]', "'../a.jpg' points outside the scanned folder"),
    ('[["/elsewhere/a.jpg", "b.jpg"]]', "'/elsewhere/a.jpg' is not inside the scanned folder"),
    ('[["", "b.jpg"]]', "an empty path"),
])
def test_bad_truth_files_give_one_line(tmp_path: Path, content: str, message: str) -> None:
    path = write(tmp_path, content)
    with pytest.raises(TruthError) as caught:
        load_truth(path, root=tmp_path / "photos")
    text = str(caught.value)
    assert message in text
    assert str(path) in text
    assert "\n" not in text


def test_a_missing_or_binary_truth_file(tmp_path: Path) -> None:
    with pytest.raises(TruthError, match=r"cannot read truth file .*: No such file"):
        load_truth(tmp_path / "absent.json")
    (tmp_path / "bin.json").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(TruthError, match="is not UTF-8 text"):
        load_truth(tmp_path / "bin.json")
