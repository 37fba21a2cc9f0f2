"""One formatter for sizes, counts and durations: the app, the CLI and the report agree."""

from __future__ import annotations

from dedup_gui.text import human_bytes, human_duration, plural, travelling


def test_sizes_use_decimal_units_as_file_managers_do() -> None:
    assert [human_bytes(n) for n in (0, 999, 1000, 1_500_000, 58_400_000, 2e12, 3e15)] == \
        ["0 B", "999 B", "1.0 KB", "1.5 MB", "58.4 MB", "2.0 TB", "3000.0 TB"]


def test_counts_and_durations() -> None:
    assert (plural(1, "file"), plural(2048, "file"), plural(2, "copy", "copies")) == \
        ("1 file", "2,048 files", "2 copies")
    assert [human_duration(s) for s in (None, -1, 45, 185, 3720)] == \
        ["", "", "45 s", "3 min 05 s", "1 h 02 min"]


def test_a_name_with_a_newline_shows_on_one_line() -> None:
    """A hostile-input check: a file name holding a newline broke its card into two lines."""
    from dedup_gui.text import shown_name

    assert shown_name("IMG\n1.jpg") == "IMG\\n1.jpg"
    assert shown_name("a\tb\u2028c.jpg") == "a\\tb\\u2028c.jpg"
    assert shown_name("café 😀 (1).jpg") == "café 😀 (1).jpg"  # names people type stay


def test_a_cards_name_and_folder_are_one_line_each() -> None:
    from dedup_gui.engine.types import Group, GroupFile
    from dedup_gui.qt.review.file_facts import group_facts

    file = GroupFile("/photos/new\nfolder/IMG\n1.jpg", 10, 1, 4, 3, "JPEG")
    (facts,) = group_facts([file], lambda _f: None, Group((file,), ()), frozenset(), "",
                           lambda _f: "")
    assert "\n" not in facts.name and "\n" not in facts.folder
    assert facts.name == "IMG\\n1.jpg" and facts.path == file.path  # the path itself is exact


def test_a_label_starts_with_a_capital_and_keeps_its_names() -> None:
    """A card's Origin read "Your own edit (google photos)": str.capitalize() lowers the rest."""
    from dedup_gui.text import sentence_case

    assert sentence_case("your own edit (Google Photos)") == "Your own edit (Google Photos)"
    assert sentence_case("") == ""


def test_one_companion_travels_and_several_travel() -> None:
    """The Trash confirmation read "21 files and 1 that travel with them" (a first-user
    check), and "1 file and 1 that travels with them" (the next one)."""
    assert travelling(1, 21) == "1 that travels with them"
    assert travelling(3, 2) == "3 that travel with them"
    assert travelling(1200, 400) == "1,200 that travel with them"
    assert travelling(1, 1) == "1 that travels with it"
    assert travelling(2, 1) == "2 that travel with it"
