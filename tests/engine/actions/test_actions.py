"""Removal plans, moves to a real (tmp) Trash, the journal and undo, end to end on real files."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedup_gui.engine.actions import removal, trash_restore
from dedup_gui.engine.actions.journal import PENDING, Journal, JournalError
from dedup_gui.engine.actions.removal import (
    EVERY_COPY,
    NONE_LEFT,
    NOT_SCANNED,
    PROTECTED,
    VANISHED,
    Refusal,
    move_to_trash,
    plan_removal,
    undo_last_batch,
)
from dedup_gui.engine.progress import CancelToken, ProgressEvent
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.types import Group, GroupFile
from tests.volumes import split_volumes


@pytest.fixture(autouse=True)
def trash(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """HOME in tmp too (conftest already sends XDG_DATA_HOME there): the home Trash is tmp's."""
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("user-home")))
    return Path(os.environ["XDG_DATA_HOME"]) / "Trash"


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def group_of(*paths: Path) -> Group:
    files = []
    for path in sorted(paths):
        st_ = os.stat(path)
        files.append(GroupFile(str(path), st_.st_size, st_.st_mtime_ns, 10, 10, "JPEG"))
    return Group(tuple(files), ())


def snapshot(*paths: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p): (p.read_bytes(), os.stat(p).st_mtime_ns) for p in paths}


@contextlib.contextmanager
def immutable(path: Path) -> Iterator[None]:
    """A folder nothing can be moved out of, even by root (chattr +i); skip where unsupported."""
    if os.geteuid() != 0:
        path.chmod(0o555)
    elif shutil.which("chattr") is None or subprocess.run(
            ["chattr", "+i", str(path)], capture_output=True).returncode:
        pytest.skip("cannot make a folder immutable here")
    try:
        yield
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=False)
        path.chmod(0o755)


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    return Journal(Cache(tmp_path / "cache.sqlite3"))


# -- plans ------------------------------------------------------------------------------------
def test_plan_totals_and_refusals(tmp_path: Path) -> None:
    a, b, c = (write(tmp_path / n, b"x" * s) for n, s in (("a", 10), ("b", 20), ("c", 30)))
    d, e = write(tmp_path / "keep/d", b"d"), write(tmp_path / "e", b"ee")
    groups = [group_of(a, b, c), group_of(d, e)]
    plan = plan_removal(groups, {str(a), str(b), str(d), "/not/scanned.jpg"},
                        protected_folders=[str(tmp_path / "keep")])
    assert [f.path for f in plan.files] == [str(a), str(b)]
    assert (plan.count, plan.total_bytes) == (2, 30)
    assert plan.summary() == "Move 2 files (30 B) to the Trash"  # text.human_bytes
    reasons = {r.paths: r.reason for r in plan.refusals}
    assert reasons == {("/not/scanned.jpg",): NOT_SCANNED, (str(d),): PROTECTED}


def test_a_plan_never_empties_a_group(tmp_path: Path) -> None:
    a, b = write(tmp_path / "a", b"1"), write(tmp_path / "b", b"1")
    c, d = write(tmp_path / "c", b"2"), write(tmp_path / "d", b"22")
    plan = plan_removal([group_of(a, b), group_of(c, d)], {str(a), str(b), str(c)})
    assert [f.path for f in plan.files] == [str(c)]
    (refusal,) = plan.refusals
    assert refusal.paths == (str(a), str(b))
    assert refusal.reason == EVERY_COPY


def test_a_protected_file_left_in_a_group_lets_the_others_go(tmp_path: Path) -> None:
    a, b = write(tmp_path / "ref/a", b"1"), write(tmp_path / "b", b"1")
    plan = plan_removal([group_of(a, b)], {str(a), str(b)}, [str(tmp_path / "ref")])
    assert [f.path for f in plan.files] == [str(b)]


def test_a_group_whose_kept_file_is_gone_keeps_its_last_copy(tmp_path: Path, journal: Journal,
                                                              trash: Path) -> None:
    """A group's kept file can leave another way first: a series' "keep the best" moves a
    burst frame that is also a duplicate group's original. The group's copy, marked Remove,
    is then that photo's last file, and stays (a first-user review saw both go, unwarned)."""
    original = write(tmp_path / "IMG_0001.JPG", b"frame one")
    upscale = write(tmp_path / "IMG_0001_upscaled.jpg", b"frame one, twice the size")
    best = write(tmp_path / "IMG_0002.JPG", b"frame two")
    group, series = group_of(original, upscale), group_of(original, best)
    (moved,) = move_to_trash(plan_removal([group, series], {str(original)}), journal)
    assert moved.ok and not original.exists()  # the series' move: the group kept its copy
    plan = plan_removal([group], {str(upscale)})
    assert plan.count == 0 and plan.refusals == (Refusal((str(upscale),), NONE_LEFT),)
    assert move_to_trash(plan, journal) == [] and upscale.exists()


def test_a_kept_file_deleted_by_another_program_is_not_counted_as_kept(tmp_path: Path) -> None:
    keep, copy, other = (write(tmp_path / f"{n}.jpg", n.encode()) for n in ("k", "c", "o"))
    group = group_of(keep, copy, other)
    keep.unlink()
    plan = plan_removal([group], {str(copy)})  # `other` is still there: `copy` may go
    assert [f.path for f in plan.files] == [str(copy)]
    plan = plan_removal([group], {str(copy), str(other)})
    assert plan.count == 0
    assert plan.refusals == (Refusal((str(copy), str(other)), NONE_LEFT),)


def test_a_kept_file_replaced_since_the_scan_is_not_counted_as_kept(tmp_path: Path) -> None:
    """A hostile-input check replaced a group's kept file with another picture after the scan;
    Shift+Delete still moved its copies, and the photo was then only in the Trash. A kept
    file counts only as the scan saw it (size and time modified)."""
    keep, copy = write(tmp_path / "keep.jpg", b"the photo"), write(tmp_path / "copy.jpg", b"x")
    group = group_of(keep, copy)
    keep.write_bytes(b"another picture altogether")
    plan = plan_removal([group], {str(copy)})
    assert plan.count == 0 and plan.refusals == (Refusal((str(copy),), NONE_LEFT),)
    same_size = group_of(write(tmp_path / "k2.jpg", b"photo"), write(tmp_path / "c2.jpg", b"y"))
    os.utime(tmp_path / "k2.jpg", ns=(1, 1))  # touched by an editor: modified since the scan
    assert plan_removal([same_size], {str(tmp_path / "c2.jpg")}).count == 0


def test_nothing_moves_while_no_undo_journal_can_be_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, trash: Path) -> None:
    """A hostile-input check put the cache and the data folder on a full disk: the files were
    moved anyway, and Undo then restored none of them. Without a journal nothing moves, and
    each file says why."""
    keep, copy = write(tmp_path / "k.jpg", b"photo"), write(tmp_path / "c.jpg", b"photo")
    blocked = write(tmp_path / "not-a-folder", b"")  # the data folder cannot be made here
    monkeypatch.setenv("XDG_DATA_HOME", str(blocked / "share"))
    journal = Journal(Cache(blocked / "cache.sqlite3"))  # nor the cache: both in memory only
    assert journal.unwritable and "nothing is moved" in journal.warnings[-1]
    outcomes = move_to_trash(plan_removal([group_of(keep, copy)], {str(copy)}), journal)
    assert [(o.path, o.ok) for o in outcomes] == [(str(copy), False)]
    assert outcomes[0].reason.startswith("not moved: the undo journal cannot be written")
    assert copy.exists() and not (trash / "files").exists()


# -- trash and undo ---------------------------------------------------------------------------
def test_trash_then_undo_restores_byte_identical_files(tmp_path: Path, journal: Journal,
                                                       trash: Path) -> None:
    keep = write(tmp_path / "lib/keep.jpg", b"K" * 100)
    odd = write(tmp_path / "lib/été 100% [1].jpg", os.urandom(5000))
    same_name = write(tmp_path / "lib/other/keep.jpg", os.urandom(3000))
    before = snapshot(odd, same_name)
    plan = plan_removal([group_of(keep, odd, same_name)], {str(odd), str(same_name)})
    outcomes = move_to_trash(plan, journal)
    assert [o.ok for o in outcomes] == [True, True], outcomes
    assert not odd.exists() and not same_name.exists() and keep.exists()
    for outcome in outcomes:  # the Trash is the test's: send2trash follows XDG_DATA_HOME
        assert Path(outcome.trashed_as).parent == trash / "files"
        assert Path(outcome.trashed_as).read_bytes() == before[outcome.path][0]
    assert len(list((trash / "info").iterdir())) == 2

    restored = undo_last_batch(journal)
    assert sorted((o.path, o.ok) for o in restored) == sorted([(str(odd), True),
                                                             (str(same_name), True)])
    assert snapshot(odd, same_name) == before  # same names, same bytes, same mtimes
    assert list((trash / "files").iterdir()) == [] and list((trash / "info").iterdir()) == []
    assert journal.last_undoable() is None
    assert journal.batches()[0].undone
    assert undo_last_batch(journal) == []


@pytest.mark.parametrize("full_disk", [True, False])
def test_undo_across_volumes_keeps_a_torn_copy_out_of_the_library(
        tmp_path: Path, journal: Journal, trash: Path, monkeypatch: pytest.MonkeyPatch,
        full_disk: bool) -> None:
    """Where the Trash is on another volume, undo copies the file back. A copy cut short (a
    full disk mid-copy; or short without an error, a pulled stick) must neither be left at the
    photo's path nor replace the file in the Trash: the photo stays there, whole, undo says it
    could not put it back, and a later undo, once the copy works, restores it."""
    keep = write(tmp_path / "lib/keep.jpg", b"K" * 100)
    gone = write(tmp_path / "lib/gone.jpg", os.urandom(5000))
    before = snapshot(gone)
    outcomes = move_to_trash(plan_removal([group_of(keep, gone)], {str(gone)}), journal)
    trashed = Path(outcomes[0].trashed_as)

    def torn_copy(source: str, target: str, **_kwargs: object) -> None:
        Path(target).write_bytes(Path(source).read_bytes()[:1000])
        if full_disk:
            raise OSError(errno.ENOSPC, "No space left on device")

    split_volumes(monkeypatch, tmp_path / "lib", trash)
    monkeypatch.setattr(shutil, "copy2", torn_copy)
    restored = undo_last_batch(journal)
    assert [o.ok for o in restored] == [False] and "could not be put back" in restored[0].reason
    assert not gone.exists() and trashed.read_bytes() == before[str(gone)][0]
    assert [p.name for p in gone.parent.iterdir()] == ["keep.jpg"]  # no partial copy left
    monkeypatch.undo()
    split_volumes(monkeypatch, tmp_path / "lib", trash)
    assert [o.ok for o in undo_last_batch(journal)] == [True]
    assert snapshot(gone) == before and not trashed.exists()


def test_two_files_of_one_name_get_distinct_trash_entries(tmp_path: Path,
                                                          journal: Journal) -> None:
    x, y, z = (write(tmp_path / d / "photo.jpg", d.encode() * 50) for d in ("x", "y", "z"))
    outcomes = move_to_trash(plan_removal([group_of(x, y, z)], {str(x), str(y)}), journal)
    assert len({o.trashed_as for o in outcomes}) == 2
    undo_last_batch(journal)
    assert x.read_bytes() == b"x" * 50 and y.read_bytes() == b"y" * 50


@pytest.mark.parametrize("change", ["size", "mtime"])
def test_a_file_changed_after_the_scan_is_refused_and_untouched(
        tmp_path: Path, journal: Journal, change: str) -> None:
    a, b = write(tmp_path / "a.jpg", b"1" * 10), write(tmp_path / "b.jpg", b"1" * 10)
    plan = plan_removal([group_of(a, b)], {str(b)})
    if change == "size":
        b.write_bytes(b"2" * 11)
    else:
        os.utime(b, ns=(0, os.stat(b).st_mtime_ns + 1_000_000_000))
    before = snapshot(b)
    (outcome,) = move_to_trash(plan, journal)
    assert not outcome.ok and "since the scan" in outcome.reason
    assert snapshot(b) == before
    assert journal.last_undoable() is None


def test_a_vanished_file_is_reported(tmp_path: Path, journal: Journal) -> None:
    a, b = write(tmp_path / "a.jpg", b"1"), write(tmp_path / "b.jpg", b"1")
    plan = plan_removal([group_of(a, b)], {str(b)})
    b.unlink()
    assert move_to_trash(plan, journal)[0].reason == VANISHED


def test_a_file_whose_folder_is_gone_says_so(tmp_path: Path, journal: Journal) -> None:
    """A two-drive check: with the backup drive unplugged, its files read "moved or deleted
    since the scan", and the person could believe their backup was deleted."""
    import shutil

    from dedup_gui.engine.actions.removal import FOLDER_GONE

    a = write(tmp_path / "home/a.jpg", b"1")
    b = write(tmp_path / "usb/DCIM/b.jpg", b"1")
    plan = plan_removal([group_of(a, b)], {str(b)})
    shutil.rmtree(tmp_path / "usb")  # unmounted: the folder is not there at all
    (outcome,) = move_to_trash(plan, journal)
    assert outcome.reason == FOLDER_GONE and "unplugged" in outcome.reason
    assert a.exists()


def test_a_file_replaced_by_a_link_is_refused(tmp_path: Path, journal: Journal) -> None:
    a, b = write(tmp_path / "a.jpg", b"1"), write(tmp_path / "b.jpg", b"1")
    plan = plan_removal([group_of(a, b)], {str(b)})
    b.unlink()
    b.symlink_to(a)
    (outcome,) = move_to_trash(plan, journal)
    assert not outcome.ok and "symbolic link" in outcome.reason
    assert b.is_symlink()


def test_an_unusable_trash_leaves_the_file_in_place(tmp_path: Path, journal: Journal,
                                                    trash: Path) -> None:
    write(trash, b"a file where the Trash folder should be")
    a, b = write(tmp_path / "a.jpg", b"1"), write(tmp_path / "b.jpg", b"1")
    (outcome,) = move_to_trash(plan_removal([group_of(a, b)], {str(b)}), journal)
    assert not outcome.ok and "left in place" in outcome.reason
    assert b.read_bytes() == b"1"


def test_undo_after_a_partial_failure_restores_exactly_the_moved_files(
        tmp_path: Path, journal: Journal, trash: Path) -> None:
    keep = write(tmp_path / "keep.jpg", b"k")
    moved = write(tmp_path / "free/moved.jpg", b"m" * 40)
    stuck = write(tmp_path / "locked/stuck.jpg", b"s" * 30)
    changed = write(tmp_path / "changed.jpg", b"c" * 20)
    plan = plan_removal([group_of(keep, moved, stuck, changed)],
                        {str(moved), str(stuck), str(changed)})
    changed.write_bytes(b"c" * 21)
    with immutable(stuck.parent):
        outcomes = move_to_trash(plan, journal)
        assert {Path(o.path).name: o.ok for o in outcomes} == {
            "changed.jpg": False, "moved.jpg": True, "stuck.jpg": False}
        assert stuck.exists() and changed.exists() and not moved.exists()
        assert [p.name for p in (trash / "info").iterdir()] == ["moved.jpg.trashinfo"]
        restored = undo_last_batch(journal)
    assert [(Path(o.path).name, o.ok) for o in restored] == [("moved.jpg", True)]
    assert moved.read_bytes() == b"m" * 40
    assert stuck.read_bytes() == b"s" * 30 and changed.read_bytes() == b"c" * 21


def test_undo_refuses_an_occupied_path_and_retries_later(tmp_path: Path,
                                                         journal: Journal) -> None:
    keep, a, b = (write(tmp_path / f"{n}.jpg", n.encode() * 9) for n in ("k", "a", "b"))
    move_to_trash(plan_removal([group_of(keep, a, b)], {str(a), str(b)}), journal)
    write(a, b"someone else's new file")
    first = undo_last_batch(journal)
    assert [(Path(o.path).name, o.ok) for o in first] == [("a.jpg", False), ("b.jpg", True)]
    assert "original path" in first[0].reason
    assert a.read_bytes() == b"someone else's new file"
    assert journal.last_undoable() is not None  # a.jpg is still in the Trash
    a.unlink()
    (second,) = undo_last_batch(journal)
    assert second.ok and a.read_bytes() == b"a" * 9
    assert journal.last_undoable() is None


def test_undo_when_the_trash_was_emptied(tmp_path: Path, journal: Journal, trash: Path) -> None:
    keep, a = write(tmp_path / "k.jpg", b"k"), write(tmp_path / "a.jpg", b"a")
    move_to_trash(plan_removal([group_of(keep, a)], {str(a)}), journal)
    shutil.rmtree(trash)
    (outcome,) = undo_last_batch(journal)
    assert not outcome.ok and outcome.reason == trash_restore.GONE
    assert journal.last_undoable() is None and not a.exists()


def test_the_journal_persists_across_reopening_the_database(tmp_path: Path) -> None:
    db = tmp_path / "cache.sqlite3"
    keep, a = write(tmp_path / "k.jpg", b"k"), write(tmp_path / "a.jpg", b"abc")
    cache = Cache(db)
    move_to_trash(plan_removal([group_of(keep, a)], {str(a)}), Journal(cache))
    cache.close()
    reopened = Journal(Cache(db))
    assert reopened.batches()[0].in_trash == 1
    (outcome,) = undo_last_batch(reopened)
    assert outcome.ok and a.read_bytes() == b"abc"


def test_undo_goes_back_one_batch_at_a_time(tmp_path: Path, journal: Journal) -> None:
    keep, a, b = (write(tmp_path / f"{n}.jpg", n.encode()) for n in ("k", "a", "b"))
    g = group_of(keep, a, b)
    move_to_trash(plan_removal([g], {str(a)}), journal)
    move_to_trash(plan_removal([g], {str(b)}), journal)
    assert [o.path for o in undo_last_batch(journal)] == [str(b)]
    assert [o.path for o in undo_last_batch(journal)] == [str(a)]


def test_undo_finds_a_file_the_app_stopped_on(tmp_path: Path, journal: Journal) -> None:
    """A crash between the move and its journal row leaves it `pending`: undo still finds it."""
    keep, a = write(tmp_path / "k.jpg", b"k"), write(tmp_path / "a.jpg", b"pending")
    plan = plan_removal([group_of(keep, a)], {str(a)})
    journal.start_batch(plan.files)
    trash_restore.send(str(a))
    assert journal.items(journal.last_undoable())[0].state == PENDING
    (outcome,) = undo_last_batch(journal)
    assert outcome.ok and a.read_bytes() == b"pending"


def test_dry_run_touches_nothing(tmp_path: Path, journal: Journal, trash: Path) -> None:
    keep, a, b = (write(tmp_path / f"{n}.jpg", n.encode()) for n in ("k", "a", "b"))
    plan = plan_removal([group_of(keep, a, b)], {str(a), str(b)})
    b.write_bytes(b"changed")
    outcomes = move_to_trash(plan, journal, dry_run=True)
    assert (outcomes[0].ok, outcomes[0].reason) == (True, removal.WOULD_MOVE)
    assert not outcomes[1].ok
    assert a.exists() and not trash.exists() and journal.batches() == []


def test_cancel_stops_before_the_next_file(tmp_path: Path, journal: Journal) -> None:
    keep, a, b = (write(tmp_path / f"{n}.jpg", n.encode()) for n in ("k", "a", "b"))
    token, events = CancelToken(), []

    def progress(event: ProgressEvent) -> None:
        events.append(event)
        if event.done == 1:
            token.cancel()

    outcomes = move_to_trash(plan_removal([group_of(keep, a, b)], {str(a), str(b)}), journal,
                             progress, token)
    assert [o.ok for o in outcomes] == [True, False]
    assert outcomes[1].reason == removal.CANCELLED and b.exists()
    assert events[-1] == ProgressEvent(removal.STAGE_TRASH, 2, 2)


@pytest.mark.parametrize(("platform", "hint"), [("darwin", "Put Back"), ("win32", "Restore")])
def test_other_systems_say_what_undo_cannot_do(tmp_path: Path, journal: Journal,
                                               monkeypatch: pytest.MonkeyPatch,
                                               platform: str, hint: str) -> None:
    keep, a = write(tmp_path / "k.jpg", b"k"), write(tmp_path / "a.jpg", b"a")
    monkeypatch.setattr(trash_restore, "PLATFORM", platform)
    assert not removal.undo_supported()
    (moved,) = move_to_trash(plan_removal([group_of(keep, a)], {str(a)}), journal)
    assert moved.ok and moved.trashed_as is None
    (outcome,) = undo_last_batch(journal)
    assert not outcome.ok and hint in outcome.reason and "a.jpg" in outcome.reason
    assert journal.last_undoable() is not None  # nothing was pretended undone


def test_a_read_only_database_keeps_the_journal_in_memory(tmp_path: Path) -> None:
    cache = Cache(None)
    cache.read_only = True
    journal = Journal(cache)
    assert "read-only" in journal.warnings[0]
    keep, a = write(tmp_path / "k.jpg", b"k"), write(tmp_path / "a.jpg", b"a")
    move_to_trash(plan_removal([group_of(keep, a)], {str(a)}), journal)
    assert undo_last_batch(journal)[0].ok


# -- the property: whatever is marked, only the allowed files move ------------------------------
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sizes=st.lists(st.integers(2, 4), min_size=1, max_size=4),
       marks=st.sets(st.integers(0, 15)), protected=st.sets(st.integers(0, 3), max_size=2),
       extra=st.booleans())
def test_nothing_outside_the_plan_is_touched_and_no_group_is_emptied(
        sizes, marks, protected, extra) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        groups, everything = [], []
        for g, size in enumerate(sizes):
            paths = [write(root / f"d{(g + i) % 4}" / f"g{g}_{i}.jpg", f"{g}.{i}".encode())
                     for i in range(size)]
            groups.append(group_of(*paths))
            everything += paths
        stray = write(root / "stray.jpg", b"stray")  # on disk, in no group
        marked = {str(everything[i]) for i in marks if i < len(everything)}
        marked |= {str(stray)} if extra else set()
        folders = [str(root / f"d{i}") for i in protected]
        before = snapshot(stray, *everything)
        plan = plan_removal(groups, marked, folders)
        outcomes = move_to_trash(plan, Journal(Cache(None)))
        gone = {o.path for o in outcomes if o.ok}
        assert gone == {f.path for f in plan.files} <= marked
        for path, state in before.items():
            if path not in gone:
                assert snapshot(Path(path))[path] == state
        for group in groups:
            assert any(f.path not in gone for f in group.files)
            assert not any(f.path in gone and any(f.path.startswith(d + os.sep) for d in folders)
                           for f in group.files)


def test_a_volume_trash_with_relative_paths_and_other_tools_names(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A per-volume trash records Path= relative to the volume; gio names copies 'a.2.jpg'."""
    volume = tmp_path / "volume"
    original = write(volume / "my photos/a.jpg", b"volume bytes")
    st_ = os.stat(original)
    trash_dir = trash_restore.TrashDir(volume / ".Trash-1000", volume)
    monkeypatch.setattr(trash_restore, "trash_dirs", lambda _path: [trash_dir])
    write(trash_dir.info("a.2.jpg"), b"[Trash Info]\nPath=my%20photos/a.jpg\n"
                                     b"DeletionDate=2020-01-02T03:04:05\n")
    (trash_dir.root / "files").mkdir()
    os.rename(original, trash_dir.root / "files/a.2.jpg")

    found = trash_restore.find_trashed(str(original), st_.st_size, st_.st_mtime_ns)
    assert found == trash_dir.root / "files/a.2.jpg"
    assert trash_restore.find_trashed(str(original), st_.st_size, st_.st_mtime_ns,
                                      since=2e9) is None  # deleted too long ago for this move
    assert trash_restore.restore(found, str(original)) is None
    assert original.read_bytes() == b"volume bytes" and os.stat(original).st_mtime_ns == (
        st_.st_mtime_ns)
    assert not trash_dir.info("a.2.jpg").exists()


def test_a_move_that_failed_part_way_but_arrived_counts_as_moved(
        tmp_path: Path, journal: Journal, monkeypatch: pytest.MonkeyPatch) -> None:
    keep, a = write(tmp_path / "k.jpg", b"k"), write(tmp_path / "a.jpg", b"a")
    real_send = trash_restore.send

    def send_then_fail(path: str) -> None:
        real_send(path)
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(trash_restore, "send", send_then_fail)
    (outcome,) = move_to_trash(plan_removal([group_of(keep, a)], {str(a)}), journal)
    assert outcome.ok and "Input/output error" in outcome.reason and outcome.trashed_as
    assert undo_last_batch(journal)[0].ok and a.read_bytes() == b"a"


def test_nothing_more_moves_once_the_journal_cannot_be_written(
        tmp_path: Path, journal: Journal, monkeypatch: pytest.MonkeyPatch) -> None:
    keep, a, b = (write(tmp_path / f"{n}.jpg", n.encode()) for n in ("k", "a", "b"))

    def broken(*_args: object) -> None:
        raise JournalError("the journal could not be written (disk full)")

    monkeypatch.setattr(journal, "record", broken)
    outcomes = move_to_trash(plan_removal([group_of(keep, a, b)], {str(a), str(b)}), journal)
    assert outcomes[0].ok and not outcomes[1].ok and "disk full" in outcomes[1].reason
    assert b.exists()
    assert undo_last_batch(journal)[0].ok  # the pending row still lets undo find a.jpg
