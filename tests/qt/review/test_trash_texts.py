"""The failure dialog's first line agrees with its count ("1 file stayed where they were")."""

from __future__ import annotations

from dedup_gui.qt.review.trash_texts import stayed_text


def test_the_failure_line_agrees_with_its_count() -> None:
    one, two = [("/a.jpg", "why")], [("/a.jpg", "why"), ("/b.jpg", "why")]
    assert stayed_text(one, False) == "1 file stayed where it was; nothing else was touched:"
    assert stayed_text(two, False).startswith("2 files stayed where they were;")
    assert stayed_text(one, True).startswith("Redo left 1 file where it is (")
    assert stayed_text(two, True).startswith("Redo left 2 files where they are (")


def test_takeout_metadata_json_that_goes_with_its_photo_alone_is_named() -> None:
    """Takeout check: the person kept their -edited copy (no JSON of its own) and marked the
    original; its .json (date, place, description) went too and the confirmation said only
    "2 files with their ... sidecars". Now it names the JSON; a kept file with a JSON of its
    own (an album's byte copy) needs no warning."""
    from dedup_gui.engine.types import Group, GroupFile
    from dedup_gui.qt.review.trash_texts import only_raws, only_raws_note

    original = GroupFile("/t/2019/IMG_1.jpg", 9, 1, 40, 30, "JPEG",
                         companions=("/t/2019/IMG_1.jpg.json",))
    edit = GroupFile("/t/2019/IMG_1-edited.jpg", 9, 1, 40, 30, "JPEG")
    album = GroupFile("/t/Family/IMG_1.jpg", 9, 1, 40, 30, "JPEG",
                      companions=("/t/Family/IMG_1.jpg.json",))
    found = only_raws([Group((original, edit), ())], {original.path}, set())
    assert found == ["/t/2019/IMG_1.jpg.json"]
    assert only_raws_note(found).startswith(
        "IMG_1.jpg.json goes too: it is the only RAW, Live video or metadata sidecar "
        "(Google Takeout's date, place and description) of its photo")
    assert only_raws([Group((original, album), ())], {original.path}, set()) == []
