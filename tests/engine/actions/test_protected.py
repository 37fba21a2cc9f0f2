"""Protected folders for many paths at once: the same answer as the plain definition (both
sides made absolute and case-normalised, the folder ending in a separator) for any path,
with "." and ".." parts, doubled separators, hidden folders, relative paths and namesakes."""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup_gui.engine.actions.protected import is_protected, protected_among

PARTS = st.sampled_from(["lib", "keep", "keep2", ".hidden", ".", "..", "", "a.jpg", "Keep"])


def _plain(path: str, folders: list[str]) -> bool:
    where = os.path.normcase(os.path.abspath(path))
    return any(where.startswith(os.path.normcase(os.path.abspath(f)).rstrip(os.sep) + os.sep)
               for f in folders)


@st.composite
def _paths(draw) -> str:
    parts = draw(st.lists(PARTS, min_size=1, max_size=5))
    return ("/" if draw(st.booleans()) else "") + "/".join(parts)


@settings(max_examples=400, deadline=None)
@given(paths=st.lists(_paths(), max_size=8), folders=st.lists(_paths(), max_size=3))
def test_many_at_once_agrees_with_the_plain_definition(paths: list[str],
                                                       folders: list[str]) -> None:
    expected = {p for p in paths if _plain(p, folders)}
    assert protected_among(paths, folders) == expected
    assert {p for p in paths if is_protected(p, folders)} == expected


def test_no_folder_reads_no_path() -> None:
    def never():
        raise AssertionError("read a path")
        yield ""
    assert protected_among(never(), []) == set()
    assert protected_among(["/lib/keep/a.jpg", "/lib/keep2/a.jpg"], ["/lib/keep/"]) == \
        {"/lib/keep/a.jpg"}
