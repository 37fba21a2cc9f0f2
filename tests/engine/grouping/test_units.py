"""Units: exact copies collapsed in first-path order, whatever order the files come in."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup_gui.engine.grouping.units import Unit, build_units
from dedup_gui.engine.types import GroupFile


def _file(path: str) -> GroupFile:
    return GroupFile(path, 10, 1, 4, 3, "JPEG")


def _reference(files: list[GroupFile], digests: dict[str, str], hashes: dict[str, int],
               vectors: dict[str, np.ndarray]) -> list[tuple]:
    """The rule written plainly: a unit per digest (or per file without one), ordered by its
    first path, taking the first member's hash and embedding that exists."""
    by_key: dict[str, list[GroupFile]] = {}
    for file in sorted(files, key=lambda f: f.path):
        by_key.setdefault(digests.get(file.path) or f"path:{file.path}", []).append(file)
    return [(tuple(f.path for f in members),
             next((hashes[f.path] for f in members if f.path in hashes), None),
             next((vectors[f.path].tobytes() for f in members if f.path in vectors), None))
            for members in by_key.values()]


def _plain(units: list[Unit]) -> list[tuple]:
    return [(tuple(f.path for f in u.files), u.hash,
             None if u.embedding is None else u.embedding.tobytes()) for u in units]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.sampled_from([None, "", "d1", "d2", "d3"]),
                          st.booleans(), st.booleans()),
                unique_by=lambda t: t[0], max_size=25), st.randoms(use_true_random=False))
def test_units_are_the_plain_rule_in_any_input_order(spec, rng) -> None:
    files = [_file(f"/p/{n:02d}.jpg") for n, *_ in spec]
    rows = list(zip(files, spec, strict=True))
    digests = {f.path: d for f, (_, d, _, _) in rows if d is not None}
    hashes = {f.path: n * 7 for f, (n, _, h, _) in rows if h}
    vectors = {f.path: np.full(3, n, np.float16) for f, (n, _, _, v) in rows if v}
    shuffled = list(files)
    rng.shuffle(shuffled)
    assert _plain(build_units(shuffled, digests, hashes, (), vectors)) == \
        _reference(files, digests, hashes, vectors)


def test_copies_marked_not_duplicates_become_separate_units() -> None:
    files = [_file("/b.jpg"), _file("/a.jpg"), _file("/c.jpg")]
    digests = {"/a.jpg": "x", "/b.jpg": "x", "/c.jpg": "x"}
    units = build_units(files, digests, {}, {("/a.jpg", "/b.jpg")})
    assert [tuple(f.path for f in u.files) for u in units] == [("/a.jpg", "/c.jpg"), ("/b.jpg",)]
