"""Evidence on every card: how the file matched (plain words; the engine's words and numbers on
hover), a star only on the fact that decided the keeper, and names elided at the start with the
full path on hover."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from dedup_gui.qt.review.file_facts import DATE, RESOLUTION, SIZE, group_facts
from dedup_gui.qt.window.main_window import MainWindow
from tests.qt.conftest import scan


def test_cards_say_how_each_file_matched(qtbot: QtBot, window: MainWindow,
                                         library: Path) -> None:
    scan(qtbot, window, library)
    state = window.state
    ones = next(i for i, g in enumerate(state.groups) if len(g.files) == 4)
    window.results.select_group(ones)
    cards = {c.path: c for c in window.group_view.cards}
    keeper = state.keeper(ones).path
    reason = state.outcome.reasons[ones]
    match = cards[keeper].values["Match"]
    assert match.toolTip() == f"the keeper ({reason})"  # the whole sentence on hover
    # two lines at most, broken between words, the rest elided
    text = match.text()
    assert text.count("\n") <= 1
    assert text.replace("\n", " ") == match.toolTip() or text.endswith("…")
    others = [p for p in cards if p != keeper]
    for path in others:
        label = cards[path].values["Match"]
        tip = label.toolTip()
        assert "distance" in tip or "identical" in tip, tip  # the numbers, for experts
        shown = label.text().replace("\n", " ")
        assert "distance" not in shown and "cosine" not in shown, shown  # words for people
        assert "shapes and shading" in shown or "shading changed" in shown \
            or "same bytes" in shown
        assert "pixels" not in shown  # the fingerprint is not the pixels


def test_match_words_say_the_numbers_plainly() -> None:
    from dedup_gui.engine.types import Pair
    from dedup_gui.qt.review.match_words import expert_tip, plain_words

    edited = Pair("a", "b", "edited copy (phash distance 30, cosine 0.84)", 30, "edited", 0.84)
    assert plain_words(edited) == "edited copy: looks 84\u00a0% alike, shapes or shading changed"
    assert expert_tip(edited).startswith("edited copy (phash distance 30, cosine 0.84)\n")
    resaved = Pair("a", "b", "same picture re-saved (phash distance 2)", 2, "resaved")
    assert plain_words(resaved) == "same picture re-saved: nearly the same shapes and shading"
    grey = Pair("a", "b", "edited copy (phash distance 0, cosine 0.83)", 0, "edited", 0.83)
    assert plain_words(grey) == "edited copy: looks 83\u00a0% alike, same shapes and shading"
    same = Pair("a", "b", "identical bytes", 0, "identical")
    assert plain_words(same) == "identical file: the same bytes" and expert_tip(same) == \
        "identical bytes"


def test_only_the_deciding_fact_is_starred(qtbot: QtBot, window: MainWindow,
                                           library: Path) -> None:
    scan(qtbot, window, library)
    state = window.state
    ones = next(i for i, g in enumerate(state.groups) if len(g.files) == 4)
    window.results.select_group(ones)
    reason = state.outcome.reasons[ones]
    assert reason == "largest file"  # three copies share the top resolution: size decides
    starred = {(c.path, fact) for c in window.group_view.cards
               for fact in ("Resolution", "Size", "Date") if "★" in c.values[fact].text()}
    assert starred and {fact for _, fact in starred} == {"Size"}
    assert state.keeper(ones).path in {p for p, _ in starred}


def test_facts_star_nothing_when_a_path_rule_decided(library: Path) -> None:
    from dedup_gui.engine.types import Group, GroupFile

    files = [GroupFile(str(library / "a.jpg"), 10, 1, 100, 100, "JPEG"),
             GroupFile(str(library / "b.jpg"), 20, 2, 200, 200, "JPEG")]
    facts = group_facts(files, lambda _f: None, reason="path does not contain “copy”")
    assert all(not f.best for f in facts)
    facts = group_facts(files, lambda _f: None, reason="largest file")
    assert [f.best for f in facts] == [frozenset(), frozenset({SIZE})]
    # the rule's note that the original is marked Remove leaves the deciding fact starred,
    # and the keeper's line reads without nested brackets
    facts = group_facts(files, lambda _f: None,
                        reason="largest file (the original, a.jpg, is marked Remove)",
                        group=Group(tuple(files), ()), keepers=frozenset({files[1].path}))
    assert [f.best for f in facts] == [frozenset(), frozenset({SIZE})]
    assert facts[1].match == "the keeper (largest file); the original, a.jpg, is marked Remove"
    facts = group_facts(files, lambda _f: None, reason="oldest date")
    assert [f.best for f in facts] == [frozenset({DATE}), frozenset()]
    assert RESOLUTION not in facts[1].best


def test_names_are_elided_at_the_start_with_the_path_on_hover(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    from tests.library import make_library

    root = make_library(tmp_path / ("a-very-long-folder-name-" * 4) / "lib")
    long_name = root / "a" / ("holiday-" * 8 + "one_copy_2.jpg")
    long_name.write_bytes((root / "a/one.jpg").read_bytes())
    scan(qtbot, window, root)
    card = next(c for c in window.group_view.cards if c.path == str(long_name))
    assert card.name.text().startswith("…") and card.name.text().endswith("one_copy_2.jpg")
    assert card.folder.text().startswith("…") and card.folder.text().endswith("/a")
    assert card.name.toolTip() == card.folder.toolTip() == str(long_name)


def test_the_match_numbers_go_on_a_second_line_not_off_the_card(qtbot: QtBot) -> None:
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QApplication

    from dedup_gui.qt.review.card_text import two_lines

    metrics = QFontMetrics(QApplication.font())
    text = "edited copy (phash distance 22, cosine 0.93)"
    width = metrics.horizontalAdvance(text) * 2 // 3
    shown = two_lines(metrics, text, width)
    assert shown.replace("\n", " ") == text and shown.count("\n") == 1
    assert all(metrics.horizontalAdvance(line) <= width for line in shown.split("\n"))
    longer = two_lines(metrics, text + " and a great deal more said about it", width)
    assert longer.count("\n") == 1 and longer.endswith("…")
    assert two_lines(metrics, "identical bytes", width) == "identical bytes"
