"""The failure dialog's first line agrees with its count ("1 file stayed where they were")."""

from __future__ import annotations

from dedup_gui.qt.review.trash_texts import stayed_text


def test_the_failure_line_agrees_with_its_count() -> None:
    one, two = [("/a.jpg", "why")], [("/a.jpg", "why"), ("/b.jpg", "why")]
    assert stayed_text(one, False) == "1 file stayed where it was; nothing else was touched:"
    assert stayed_text(two, False).startswith("2 files stayed where they were;")
    assert stayed_text(one, True).startswith("Redo left 1 file where it is (")
    assert stayed_text(two, True).startswith("Redo left 2 files where they are (")
