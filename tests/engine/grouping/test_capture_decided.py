"""Pairs the capture rule refutes on their own captures are set apart from the stored
components (grouping/capture_decided.py): the outcome stays exactly verify_edges' over the
whole library, and a new photo re-verifies only the component it touches.

Pictures here are never decoded (the loader finds none): pixel verdicts come from the memo, as
a rescan's do from its cache file."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedup_gui.engine.grouping import capture_decided
from dedup_gui.engine.grouping.capture_rule import capture_verdict
from dedup_gui.engine.grouping.pixels import FULL, NEAR
from dedup_gui.engine.grouping.refute import CROWD, PLACEMENT, UNPLACED
from dedup_gui.engine.grouping.verdict import Verdict
from dedup_gui.engine.grouping.verified_store import VerifiedStore, verify_components
from dedup_gui.engine.grouping.verify import Verified, verify_edges
from dedup_gui.engine.signals.capture import far_apart
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.tiers import EDITED, IDENTICAL, RESAVED, SIMILAR, Edge
from dedup_gui.engine.types import Capture

MINUTE = 60 * 10**9
AGREE = Verdict(True, "pixels agree (residual 3)")
Pair = tuple[int, int]


def _canon(minutes: int, **fields) -> Capture:
    return Capture(10**18 + minutes * MINUTE, True, "Canon", "EOS R6", **fields)


class _Library:
    """Units with captures, paths and a memo of pixel verdicts; verified whole (verify_edges)
    or by components through a real cache file (verify_components), as candidates.py does."""

    def __init__(self, captures: list[Capture | None], memo: dict) -> None:
        self.captures, self.memo = captures, memo
        self.paths = [f"/library/{k:03d}.jpg" for k in range(len(captures))]
        self.asked: list[int] = []

    def whole(self, edges: dict[Pair, Edge]) -> Verified:
        return verify_edges(edges, self.captures, self.paths, lambda path: None,
                            dict(self.memo), [False] * len(self.paths))

    def run(self, part: dict[Pair, Edge], crowded) -> Verified:
        self.asked.append(len(part))
        return verify_edges(part, self.captures, self.paths, lambda path: None,
                            dict(self.memo), [False] * len(self.paths), crowded)

    def by_components(self, edges: dict[Pair, Edge], cache: Cache) -> Verified:
        return verify_components(edges, len(self.paths), lambda unit: self.paths[unit],
                                 self.run, VerifiedStore(cache), self.captures)

    def agree(self, i: int, j: int, level: int = FULL) -> None:
        self.memo[(self.paths[i], self.paths[j], level)] = AGREE


def _same(a: Verified, b: Verified) -> bool:
    return (list(a.edges.items()), a.refuted, list(a.shots.items()), a.joined) == \
        (list(b.edges.items()), b.refuted, list(b.shots.items()), b.joined)


def test_a_new_photo_re_verifies_only_the_component_it_touches(tmp_path: Path) -> None:
    """Two re-saves of two Canon photos, joined to each other only by chance look-alike pairs
    with a Nikon photo (two cameras: refuted by capture alone). A new re-save of the first
    photo re-verifies its own component (3 pairs), not the library's (6 with those pairs)."""
    nikon = Capture(10**18, True, "Nikon", "Z6")
    library = _Library([_canon(0), None, nikon, _canon(30), None, None], {})
    for pair in ((0, 1), (3, 4), (0, 5), (1, 5)):
        library.agree(*pair)
    edges = {(0, 1): Edge(RESAVED, 2, 0.97), (0, 2): Edge(EDITED, None, 0.8),
             (2, 3): Edge(EDITED, None, 0.79), (3, 4): Edge(RESAVED, 1, 0.98)}
    cache = Cache(tmp_path / "cache.sqlite3")
    assert _same(library.by_components(edges, cache), library.whole(edges))
    assert library.asked == [2]  # (0, 1) and (3, 4); the Nikon pairs are decided apart
    grown = {**edges, (0, 5): Edge(RESAVED, 3, 0.96), (1, 5): Edge(RESAVED, 2, 0.97)}
    assert _same(library.by_components(grown, cache), library.whole(grown))
    assert library.asked == [2, 3]
    cache.close()


def test_a_picture_crowded_by_pairs_decided_apart_stays_crowded(tmp_path: Path) -> None:
    """A picture with CROWD + 1 "edited copy" candidates is not searched by the placement
    rule (refute.Chain), even where all but one of them are refuted by capture and set apart:
    its one uncaptured candidate, which the placement rule would refute, stays an edited
    copy, as when the library is verified whole."""
    others = [Capture(10**18, True, "Nikon", f"Z{k}") for k in range(CROWD)]
    library = _Library([_canon(0), None, *others], {})
    library.memo[(library.paths[0], library.paths[1], PLACEMENT)] = Verdict(False, UNPLACED)
    library.memo[(library.paths[0], library.paths[1], FULL)] = \
        Verdict(None, "pixels differ in 80% of tiles")
    edges = {(0, k): Edge(EDITED, None, 0.8) for k in range(1, CROWD + 2)}
    whole = library.whole(edges)
    assert (0, 1) not in whole.refuted and whole.edges[(0, 1)].tier == EDITED
    assert _same(library.by_components(edges, Cache(tmp_path / "cache.sqlite3")), whole)


def test_far_apart_reads_the_exposure_the_walk_made(tmp_path: Path) -> None:
    """A Canon photo, an uncaptured re-save of it, and a copy of that re-save that carries a
    bare timestamp: pixels make them one exposure with two captures, known by none. A second
    Canon photo two hours later is refuted by capture alone; by its own capture the first is
    far apart (no edge), by its exposure's it is not (a "similar shot" edge): the walk reads
    the exposure, and so must the pairs set apart."""
    stamped = Capture(10**18 + 5 * MINUTE)
    library = _Library([_canon(0), None, stamped, _canon(120)], {})
    library.agree(0, 1)
    library.agree(1, 2)
    edges = {(0, 1): Edge(RESAVED, 1, 0.99), (1, 2): Edge(RESAVED, 2, 0.95),
             (0, 3): Edge(EDITED, None, 0.8)}
    whole = library.whole(edges)
    assert (0, 3) in whole.refuted and whole.edges[(0, 3)].tier == SIMILAR
    cache = Cache(tmp_path / "cache.sqlite3")
    assert _same(library.by_components(edges, cache), whole)
    assert _same(library.by_components(edges, cache), whole)  # from the stored outcomes


_CAPTURES = st.sampled_from([None, None, _canon(0), _canon(0, unique_id="x"), _canon(3),
                             _canon(30, unique_id="x"), Capture(10**18, True, "Nikon", "Z6"),
                             Capture(10**18 + 2 * MINUTE), _canon(0, serial="B2")])
_TIERS = st.sampled_from([RESAVED, RESAVED, EDITED, EDITED, IDENTICAL, SIMILAR])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_CAPTURES, min_size=2, max_size=14), st.data())
def test_set_apart_or_not_the_outcome_is_the_whole_walks(captures, data) -> None:
    """Any library of captures, pairs and pixel verdicts: verified by stored components (a
    first scan, then a rescan from the stored outcomes) exactly as verified whole."""
    count = len(captures)
    possible = [(i, j) for i in range(count) for j in range(i + 1, count)]
    chosen = data.draw(st.lists(st.sampled_from(possible), unique=True, max_size=30))
    edges = {pair: Edge(data.draw(_TIERS), data.draw(st.integers(0, 8)),
                        data.draw(st.floats(0.62, 1.0)))
             for pair in chosen}
    library = _Library(captures, {})
    for pair in chosen:
        kind = data.draw(st.sampled_from(["agree", "near", "unplaced", "none"]))
        if kind == "agree":
            library.agree(*pair)
        elif kind == "near":
            library.agree(*pair, level=NEAR)
        elif kind == "unplaced":
            a, b = library.paths[pair[0]], library.paths[pair[1]]
            library.memo[(a, b, PLACEMENT)] = Verdict(False, UNPLACED)
    whole = library.whole(edges)
    with tempfile.TemporaryDirectory() as folder:
        cache = Cache(Path(folder) / "cache.sqlite3")
        assert _same(library.by_components(edges, cache), whole)
        assert _same(library.by_components(edges, cache), whole)
        cache.close()


_SPELLED_CAPTURES = st.one_of(st.none(), st.builds(
    Capture,
    taken_ns=st.sampled_from([None, 0, 1, 10**18, 10**18 + 600 * 10**9,
                              10**18 + 600 * 10**9 + 1, -(2**63), 2**63 - 1, 2**63]),
    has_offset=st.booleans(),
    make=st.sampled_from(["Canon", "canon ", " CANON", "", " ", "Nikon"]),
    model=st.sampled_from(["EOS R6", "eos  r6", "", "Z6"]),
    serial=st.sampled_from(["", " ", "A1", "A1 ", "B2"]),
    unique_id=st.sampled_from(["", "x", "y"])))


@settings(max_examples=300, deadline=None)
@given(st.lists(_SPELLED_CAPTURES, min_size=2, max_size=9))
def test_the_arrays_read_the_rules_as_written(captures) -> None:
    """The split and far_apart as arrays (capture_decided._Columns, _Instants) equal capture_verdict
    and far_apart pair by pair: spellings, serials, image IDs, offsets, instants at both
    ends of int64 (their difference is not one), and beyond it (compared pair by pair)."""
    pairs = [(i, j) for i in range(len(captures)) for j in range(i + 1, len(captures))]
    refuted = [capture_verdict(captures[i], captures[j], notes=False).same is False
               for i, j in pairs]
    walked, decided = capture_decided.split(pairs, captures)
    assert decided == [p for p, r in zip(pairs, refuted, strict=True) if r]
    assert walked == [p for p, r in zip(pairs, refuted, strict=True) if not r]
    apart = [far_apart(captures[i], captures[j]) for i, j in pairs]
    try:
        instants = capture_decided._Instants(captures)
    except OverflowError:
        assert any(c is not None and c.taken_ns == 2**63 for c in captures)
        return
    assert capture_decided._far_apart(instants, np.array(pairs)).tolist() == apart
