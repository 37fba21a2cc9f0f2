"""Results pickle by position (the saved session, a scan's results from the engine process):
equal after a round trip, and pickles written the old way (dataclass state) still read back."""

from __future__ import annotations

import pickle

from dedup_gui.engine.types import Capture, Group, GroupFile, Pair


def group() -> Group:
    capture = Capture(10**18, True, "Canon", "EOS R", "42", "uid", "exif")
    files = (GroupFile("/p/a.jpg", 10, 1, 64, 48, "JPEG", capture, ("/p/a.CR3",)),
             GroupFile("/p/b.jpg", 9, 2, 64, 48, "JPEG"))
    return Group(files, (Pair("/p/a.jpg", "/p/b.jpg", "resaved", 3, "resaved", 0.97),))


def test_results_round_trip_by_position() -> None:
    original = group()
    data = pickle.dumps(original, protocol=pickle.HIGHEST_PROTOCOL)
    assert pickle.loads(data) == original
    assert b"__setstate__" not in data and b"_dataclass" not in data
    reduced = original.files[0].__reduce_ex__(pickle.HIGHEST_PROTOCOL)
    assert reduced[0] is GroupFile and reduced[1][0] == "/p/a.jpg"  # a call, not a state


def test_a_pickle_written_as_dataclass_state_still_reads_back() -> None:
    """Sessions saved by 0.3 hold the slotted dataclasses' own state; they must reopen."""
    original = group()
    saved = {cls: cls.__dict__["__reduce__"] for cls in (Capture, Pair, GroupFile, Group)}
    try:
        for cls in saved:
            del cls.__reduce__  # as the classes were: pickled through __getstate__
        old = pickle.dumps(original, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        for cls, reduce in saved.items():
            cls.__reduce__ = reduce
    assert pickle.loads(old) == original
