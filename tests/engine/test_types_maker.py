"""positional_maker: the per-file objects a scan makes by the hundred thousand are made without
their dataclass __init__; they must be the very objects __init__ makes."""

from __future__ import annotations

import pickle
from dataclasses import FrozenInstanceError, dataclass, field, fields

import pytest

from dedup_gui.engine.types import (
    Capture,
    FileEntry,
    GroupFile,
    ImageSignals,
    make_file_entry,
    make_group_file,
    make_image_signals,
    positional_maker,
)

VALUES = {
    make_file_entry: (FileEntry, ("/a/b.jpg", 12, 34)),
    make_image_signals: (ImageSignals, (640, 480, "JPEG", {"phash": 5, "dhash": 2**63})),
    make_group_file: (GroupFile, ("/a/b.jpg", 12, 34, 640, 480, "JPEG",
                                  Capture(10**18, True, "Cam", "One"), ("/a/b.CR2",))),
}


@pytest.mark.parametrize("make", list(VALUES), ids=lambda m: VALUES[m][0].__name__)
def test_made_objects_are_those_init_makes(make) -> None:
    cls, values = VALUES[make]
    made, plain = make(*values), cls(*values)
    assert type(made) is cls and made == plain and repr(made) == repr(plain)
    assert pickle.loads(pickle.dumps(made)) == plain
    with pytest.raises(FrozenInstanceError):
        setattr(made, fields(cls)[0].name, None)
    with pytest.raises(TypeError):
        make(*values[:-1])  # every field, none defaulted


def test_only_plain_slotted_dataclasses_get_a_maker() -> None:
    @dataclass(frozen=True, slots=True)
    class Checked:
        x: int

        def __post_init__(self) -> None:
            raise ValueError

    @dataclass(frozen=True, slots=True)
    class Derived:
        x: int
        y: int = field(init=False, default=0)

    @dataclass(frozen=True)
    class NoSlots:
        x: int

    @dataclass(frozen=True, slots=True)
    class Shadowing:
        cls: int

    for refused in (Checked, Derived, NoSlots, Shadowing, int):
        with pytest.raises(TypeError):
            positional_maker(refused)


def test_a_camera_reads_its_make_once() -> None:
    """Canon and Nikon repeat the make in the model; the card read "Canon Canon EOS 80D"."""
    from dedup_gui.engine.types import Capture

    assert Capture(make="Canon", model="Canon EOS 80D").camera == "Canon EOS 80D"
    assert Capture(make="NIKON CORPORATION", model="NIKON D850").camera == "NIKON D850"
    assert Capture(make="Apple", model="iPhone 15 Pro").camera == "Apple iPhone 15 Pro"
    assert Capture(make="SONY ", model="").camera == "SONY"
    assert Capture().camera == ""
