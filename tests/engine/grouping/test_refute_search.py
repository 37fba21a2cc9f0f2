"""The placement and displacement rules share one placement search (refute.py): same verdicts,
same memo entries as the two rules alone, and no second search where one answers both."""

from __future__ import annotations

import pytest
from PIL import Image

from dedup_gui.engine.grouping import placement, refute
from dedup_gui.engine.grouping.displacement import UNROTATED, begin, displaced
from dedup_gui.engine.grouping.placement import PLACED_AT, placed, turned
from dedup_gui.engine.grouping.refute import (
    DISPLACED,
    DISPLACEMENT,
    ONE_MAP,
    PLACEMENT,
    UNPLACED,
)
from dedup_gui.engine.grouping.verdict import UNDECIDED, Verdict
from dedup_gui.engine.tiers import EDITED
from tests.engine.grouping.pictures import crop, jpeg, scene
from tests.engine.grouping.test_displacement import LEFT, RIGHT, export

PAIRS = {  # what each pair's search meets (checked in the first test)
    "a copy, placed at once": (LEFT, jpeg(crop(LEFT, 0.1), 60, 0.7)),
    "another viewpoint": (LEFT, RIGHT),
    "straightened by 8 degrees": (LEFT, turned(crop(LEFT, 0.05), 8.0)),
    "two crops that overlap in part": (export((0, 0, 900, 675)), export((500, 300, 1140, 780))),
    "two other photos": (scene(3, (640, 480)), scene(4, (640, 480))),
    "a stretch (not judged)": (LEFT, LEFT.resize((640, 300))),
}


def rules_alone(a: Image.Image, b: Image.Image) -> dict[int, Verdict]:
    """The memo entries of the placement rule and then (if placed) the displacement rule, each
    searching on its own (as refute() ran them before they shared a search)."""
    if not placed(a, b):
        return {PLACEMENT: Verdict(False, UNPLACED)}
    moved = displaced(a, b)
    return {PLACEMENT: UNDECIDED, DISPLACEMENT: Verdict(False, DISPLACED) if moved else
            Verdict(None, ONE_MAP) if moved is False else UNDECIDED}


def refuted(a: Image.Image, b: Image.Image) -> dict[int, Verdict]:
    memo: dict = {}
    refute.refute("a", "b", EDITED, {"a": a, "b": b}.get, memo)
    return {key[2]: verdict for key, verdict in memo.items() if key[1] == "b"}


def test_the_pairs_meet_every_path_of_the_shared_search() -> None:
    """Placed by the first searches, placed only later (a rotation, a half), unplaced, and not
    judged by the displacement rule at all."""
    best = {name: (s := begin(a, b)) and s.best[0] for name, (a, b) in PAIRS.items()}
    assert best["a copy, placed at once"] >= PLACED_AT
    assert best["straightened by 8 degrees"] < PLACED_AT
    assert best["two crops that overlap in part"] < PLACED_AT
    assert best["two other photos"] < PLACED_AT
    assert best["a stretch (not judged)"] is None
    assert not placed(*PAIRS["two other photos"])


@pytest.mark.parametrize("name", PAIRS)
def test_one_search_leaves_the_memo_the_two_rules_leave(name: str) -> None:
    a, b = PAIRS[name]
    assert refuted(a, b) == rules_alone(a, b)


def test_a_pair_the_displacement_rule_places_runs_no_placement_search(monkeypatch) -> None:
    calls: list[int] = []
    real = refute.placed

    def counted(*args: object, **kwargs: object) -> bool:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(refute, "placed", counted)
    assert refuted(*PAIRS["a copy, placed at once"]) == {PLACEMENT: UNDECIDED,
                                                        DISPLACEMENT: Verdict(None, ONE_MAP)}
    assert calls == []
    assert refuted(*PAIRS["another viewpoint"])[DISPLACEMENT] == Verdict(False, DISPLACED)
    assert calls == []


def test_a_pair_placed_only_later_skips_the_searches_already_made(monkeypatch) -> None:
    """placed() is asked only where the displacement rule's first searches stay below
    PLACED_AT, and does not search those again."""
    a, b = PAIRS["straightened by 8 degrees"]
    calls: list[int] = []
    real = placement.place

    def counted(*args: object) -> tuple:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(placement, "place", counted)
    assert placed(a, b)
    alone = len(calls)
    calls.clear()
    assert placed(a, b, tried=UNROTATED)
    assert len(calls) == alone - UNROTATED
    calls.clear()
    refuted(a, b)
    assert len(calls) == alone - UNROTATED


def test_verdicts_in_the_memo_are_read_not_searched_again() -> None:
    """A memo that holds a rule's verdict (a rescan's cache, the pool's) is read as before:
    the walk and the pool's dry run decode nothing for it."""
    def refuse(path: str) -> None:
        raise AssertionError(path)

    not_framed = {(path, "", refute.FRAMED): Verdict(False, "") for path in "ab"}  # as scans
    # know them, from the signal stage (the screen rule asks both: screens.py)
    unplaced = {("a", "b", PLACEMENT): Verdict(False, UNPLACED), **not_framed}
    assert refute.refute("a", "b", EDITED, refuse, unplaced) == Verdict(False, UNPLACED)
    both = {("a", "b", PLACEMENT): UNDECIDED, ("a", "b", DISPLACEMENT): Verdict(None, ONE_MAP),
            **not_framed}
    assert refute.refute("a", "b", EDITED, refuse, both) == Verdict(None, ONE_MAP)
