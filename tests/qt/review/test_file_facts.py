"""The card's date says "taken" only for a capture date; a file time is labelled as one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from dedup_gui.engine.types import Capture, GroupFile
from dedup_gui.qt.review.file_card import FileCard
from dedup_gui.qt.review.file_facts import DATE, FILE_DATE, TAKEN, group_facts

NS = 10**9
MTIME = int(datetime(2024, 5, 1, 12, 0, tzinfo=UTC).timestamp()) * NS


def _file(name: str, capture: Capture | None, size: int = 1000) -> GroupFile:
    return GroupFile(f"/photos/{name}", size, MTIME, 4000, 3000, "JPEG", capture)


def _never(file: GroupFile) -> int | None:
    raise AssertionError("a file with a cached capture must not be read for its date")


def test_taken_date_and_camera_from_the_capture() -> None:
    wall = int(datetime(2021, 5, 2, 10, 0, tzinfo=UTC).timestamp()) * NS  # no offset: as shot
    shot = Capture(wall, False, "Canon", "EOS R5", source="exif")
    later = Capture(wall + 3600 * NS, False, "Canon", "EOS R5", source="exif")
    facts = group_facts([_file("a.jpg", shot), _file("b.jpg", later)], _never,
                        reason="oldest date")
    assert (facts[0].date_kind, facts[0].date, facts[0].camera) == (
        TAKEN, "2021-05-02 10:00", "Canon EOS R5")
    assert DATE in facts[0].best and DATE not in facts[1].best
    assert "EXIF" in facts[0].date_tip


def test_without_a_date_taken_the_file_date_says_so() -> None:
    facts = group_facts([_file("a.jpg", Capture()), _file("b.jpg", Capture(source=""))],
                        _never)
    assert facts[0].date_kind == FILE_DATE == "Modified"
    assert facts[0].date == "2024-05-01 · no capture date"  # not "(undated)" beside a date
    assert facts[0].date_tip.startswith("No capture date")
    assert "last modified 2024-05-01" in facts[0].date_tip
    assert facts[0].camera == ""


def test_takeout_dates_name_their_source() -> None:
    facts = group_facts([_file("a.jpg", Capture(1_600_000_000 * NS, True, source="takeout"))],
                        _never)
    assert facts[0].date_kind == TAKEN and "Google Takeout" in facts[0].date_tip


def test_files_without_a_cached_capture_still_ask() -> None:
    taken = int(datetime(2020, 1, 1, tzinfo=UTC).timestamp()) * NS
    facts = group_facts([_file("a.jpg", None)], lambda f: taken)
    assert facts[0].date_kind == TAKEN


def test_the_card_shows_taken_or_the_file_date(qtbot) -> None:
    card = FileCard()
    qtbot.addWidget(card)
    shot = Capture(1_600_000_000 * NS, True, "Apple", "iPhone 12", source="exif")
    with_date, without = group_facts([_file("a.jpg", shot), _file("b.jpg", Capture(), 2)],
                                     _never)
    card.set_facts(with_date)
    assert card.captions["Date"].text() == "Taken"
    assert card.values["Camera"].text() == "Apple iPhone 12"
    # the whole value leads the tip: at 150 % the card cut "2020-09-13 …" and the tip only
    # said where dates come from (a small-screen check)
    assert card.values["Date"].toolTip().startswith(f"{with_date.date}. ")
    card.set_facts(without)
    assert card.captions["Date"].text() == "Modified"
    assert card.values["Date"].text().startswith("2024-05-01")
    assert "undated" not in card.values["Date"].text()
    assert "no date taken" in card.values["Date"].toolTip()
    assert card.values["Camera"].text() == "unknown"
    long_name = Capture(make="NIKON CORPORATION", model="NIKON Z 6_2 with a long name")
    card.set_facts(group_facts([_file("c.nef", long_name)], _never)[0])
    camera = card.values["Camera"]
    assert camera.fontMetrics().horizontalAdvance(camera.text()) <= camera.contentsRect().width()
    assert camera.toolTip() == "NIKON Z 6_2 with a long name"


def test_a_starred_value_is_elided_in_its_own_bold_font_and_keeps_its_star(qtbot) -> None:
    """The keeper's starred date ("2026-12-07 · no capture date") was measured in the plain
    font and drawn bold: cut mid-word, no ellipsis, star gone."""
    card = FileCard()
    qtbot.addWidget(card)
    card.show()
    facts = replace(group_facts([_file("a.jpg", Capture())], _never)[0],
                    date="2024-05-01 12:00 · no capture date, file modified",
                    best=frozenset({DATE}))
    card.set_facts(facts)
    value = card.values["Date"]
    assert value.font().bold() and value.text().endswith("…  ★")
    assert value.fontMetrics().horizontalAdvance(value.text()) <= value.contentsRect().width()
    assert value.toolTip().startswith("This decided the keeper. ")


def test_the_keepers_sentence_is_not_wrapped_in_a_second_kept() -> None:
    """The "most original" rule's reason is a sentence that starts "kept: "; the card said
    "the keeper (kept: the most original; …" (a real-window check)."""
    from dedup_gui.engine.types import Group, Pair
    from dedup_gui.qt.review.file_facts import match_text

    group = Group((_file("a.jpg", None), _file("b.jpg", None)),
                  (Pair("/photos/a.jpg", "/photos/b.jpg", "re-saved", 2, "resaved"),))
    sentence = "kept: the most original; the other is a smaller re-save of it"
    assert match_text(group, "/photos/a.jpg", frozenset({"/photos/a.jpg"}), sentence)[0] == \
        "the keeper: the most original; the other is a smaller re-save of it"
    assert match_text(group, "/photos/a.jpg", frozenset({"/photos/a.jpg"}), "largest file")[0] \
        == "the keeper (largest file)"


def test_the_origin_keeps_the_names_in_its_label(qtbot) -> None:
    """A real-window check read "Your own edit (google photos)": capitalize() lowered it."""
    card = FileCard()
    qtbot.addWidget(card)
    facts = replace(group_facts([_file("IMG_1-edited.jpg", Capture())], _never)[0],
                    origin="your own edit (Google Photos)")
    card.set_facts(facts)
    assert card.values["Origin"].toolTip() == "Your own edit (Google Photos)"


def test_a_file_kept_beside_the_keeper_says_why_not_the_keepers_reason() -> None:
    """A real-window re-check: the kept Google Photos edit (1780 px) read "the keeper
    (highest resolution; …" beside a 2000-px original."""
    from dedup_gui.engine.types import Group
    from dedup_gui.qt.review.file_facts import match_text

    reason = "highest resolution; also kept, your own edit: IMG_1-edited.jpg"
    group = Group((_file("IMG_1.jpg", None), _file("IMG_1-edited.jpg", None)), ())
    keepers = frozenset(f.path for f in group.files)
    assert match_text(group, "/photos/IMG_1-edited.jpg", keepers, reason)[0] == \
        "kept too: your own edit"
    assert match_text(group, "/photos/IMG_1.jpg", keepers, reason)[0] == \
        "the keeper (highest resolution)"


def test_a_gone_file_whose_folder_is_gone_says_its_folder_is_not_there(qtbot, tmp_path) -> None:
    """A two-drive check: with the backup drive unplugged, its cards read "Changed since the
    scan", as if the files had been deleted."""
    card = FileCard()
    qtbot.addWidget(card)
    here = tmp_path / "home/a.jpg"
    here.parent.mkdir()
    for path, expected in ((tmp_path / "usb/DCIM/b.jpg", "Folder not found"),
                           (here, "Changed since the scan")):
        card.set_facts(group_facts([GroupFile(str(path), 1, 1, 4, 3, "JPEG")], lambda _f: None)[0])
        card.set_state(remove=False, protected=False, trashed=False, gone=True)
        assert card.toggle.text() == expected


def test_a_backup_with_the_kept_edits_name_reads_as_the_keeper() -> None:
    """A real-window re-check: the backup and the in-place edit were both IMG_1018.jpg, and
    both cards read "kept too: an edit that kept the camera data"."""
    from dedup_gui.engine.types import Group
    from dedup_gui.qt.review.file_facts import match_text

    backup = GroupFile("/h/Backup 2021/IMG_1018.jpg", 9, 0, 10, 10, "JPEG")
    edit = GroupFile("/h/2019/IMG_1018.jpg", 9, 0, 10, 10, "JPEG")
    reason = ("kept: the original camera photo; also kept, an edit that kept the camera data "
              "(most likely yours): 2019/IMG_1018.jpg")
    group, keepers = Group((edit, backup), ()), frozenset({edit.path, backup.path})
    assert match_text(group, edit.path, keepers, reason)[0].startswith("kept too: an edit")
    assert match_text(group, backup.path, keepers, reason)[0] == \
        "the keeper: the original camera photo"


def test_a_byte_copy_reads_identical_even_beside_an_edit_at_distance_zero() -> None:
    """A second import's byte copy of a kept burst frame read "edited copy: looks 94 %
    alike" (its pair with a kept Lightroom export, also at hash distance 0, sorted first by
    name: a real-window check); the card and the JSON's match name the byte copy."""
    from dedup_gui.engine.export.results import closest_match
    from dedup_gui.engine.types import Group, Pair
    from dedup_gui.qt.review.file_facts import match_text

    copy, frame = "/p/Import (2)/DSC_12.JPG", "/p/Import/DSC_12.JPG"
    export = "/p/Exports/DSC_12.jpg"
    group = Group((_file("x.jpg", None),), (
        Pair(export, copy, "edited copy (phash distance 0)", 0, "edited", 0.94),
        Pair(copy, frame, "identical file", 0, "identical")))
    assert match_text(group, copy, frozenset({frame, export}), "shortest path")[0] == \
        "identical file: the same bytes"
    assert closest_match(group, copy) == "identical file"


def test_a_card_names_why_its_one_file_is_kept_beside_in_the_singular() -> None:
    """Each of four kept burst frames read "kept too: other camera originals (burst frames,
    or your edits)": the reason's words for all of them (a real-window check)."""
    from dedup_gui.engine.types import Group
    from dedup_gui.qt.review.file_facts import match_text

    reason = ("shortest path; also kept, other camera originals (burst frames, or your "
              "edits): DSC_10.JPG and DSC_11.JPG; also kept, your own edits: a-edited.jpg "
              "and b-edited.jpg")
    group = Group((_file("DSC_10.JPG", None),), ())
    keepers = frozenset({"/p/DSC_10.JPG", "/p/b-edited.jpg"})
    assert match_text(group, "/p/DSC_10.JPG", keepers, reason)[0] == \
        "kept too: another camera original (a burst frame, or your edit)"
    assert match_text(group, "/p/b-edited.jpg", keepers, reason)[0] == \
        "kept too: your own edit"
