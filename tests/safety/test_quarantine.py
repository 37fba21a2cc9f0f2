"""When the Trash is unavailable: files stay where they are and are flagged, and the quarantine
folder the person chooses takes them instead, journaled, with Undo; never a silent delete.

The Trash is made unavailable for real: its folder cannot be created (XDG_DATA_HOME is a file,
or a folder nothing can be written to), which makes send2trash raise as it does on a network
share without a trash folder.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from dedup_gui.engine.actions import quarantine, undo
from dedup_gui.engine.actions.journal import PENDING, QUARANTINED, Journal
from dedup_gui.engine.actions.removal import move_to_trash, plan_removal, undo_last_batch
from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.types import Group
from tests.safety.helpers import immutable, jpeg, same_size_other_picture, snapshot, write
from tests.volumes import no_links, split_volumes


@pytest.fixture
def no_trash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A data home where no Trash folder can be made (a file stands where the folder would)."""
    blocker = write(tmp_path / "data-home-is-a-file", b"not a folder")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    monkeypatch.setenv("HOME", str(blocker))


@pytest.fixture
def library(tmp_path: Path) -> tuple[Path, list[Group], Cache]:
    root = tmp_path / "library"
    write(root / "keep/a.jpg", jpeg(1))
    write(root / "dupes/a copy.jpg", jpeg(1))
    write(root / "dupes/été\nnewline.jpg", jpeg(1))
    write(root / "dupes/a small.jpg", jpeg(1, quality=70))
    cache = Cache(tmp_path / "cache.sqlite3")
    result = run_scan(ScanParams((str(root),), embeddings=False, workers=1), cache)
    return root, list(result.groups), cache


def dupes(root: Path) -> set[str]:
    return {str(p) for p in (root / "dupes").iterdir()}


def test_an_unavailable_trash_leaves_every_file_and_flags_it(no_trash: None, library) -> None:
    root, groups, cache = library
    before = snapshot(*dupes(root))
    outcomes = move_to_trash(plan_removal(groups, dupes(root)), Journal(cache))
    assert len(outcomes) == 3
    assert all(not o.ok and o.trash_unavailable and "left in place" in o.reason
               for o in outcomes)
    assert snapshot(*dupes(root)) == before


def test_quarantine_moves_the_files_and_undo_puts_them_back(no_trash: None, library,
                                                            tmp_path: Path) -> None:
    root, groups, cache = library
    before = snapshot(*dupes(root))
    journal = Journal(cache)
    refused = [o.path for o in move_to_trash(plan_removal(groups, dupes(root)), journal)
               if o.trash_unavailable]
    chosen = tmp_path / "quarantine"
    chosen.mkdir()
    outcomes = quarantine.move_to_quarantine(plan_removal(groups, set(refused)), str(chosen),
                                             journal)
    assert all(o.ok for o in outcomes) and len(outcomes) == 3
    (batch,) = chosen.iterdir()
    assert batch.name.startswith(quarantine.BATCH_PREFIX)
    for outcome in outcomes:  # the whole original path below the batch folder
        assert outcome.trashed_as == str(batch) + outcome.path
        assert snapshot(outcome.trashed_as)[outcome.trashed_as] == before[outcome.path]
        assert not os.path.lexists(outcome.path)
    assert journal.batches()[0].in_trash == 3
    assert {i.state for i in journal.items(journal.last_undoable())} == {QUARANTINED}

    restored = undo_last_batch(journal)
    assert sorted(o.path for o in restored if o.ok) == sorted(before)
    assert snapshot(*before) == before
    assert not batch.exists() and chosen.is_dir()  # its folders went with the files
    assert journal.last_undoable() is None  # the failed trash batch has nothing to undo


def test_quarantine_refuses_changed_files_like_the_trash(library, tmp_path: Path) -> None:
    root, groups, cache = library
    changed = root / "dupes/a small.jpg"
    same_size_other_picture(changed, seed=5)
    before = snapshot(changed)
    chosen = tmp_path / "q"
    chosen.mkdir()
    outcomes = quarantine.move_to_quarantine(plan_removal(groups, {str(changed)}), str(chosen),
                                             Journal(cache))
    assert [(o.ok, "content changed" in o.reason) for o in outcomes] == [(False, True)]
    assert snapshot(changed) == before


def test_an_unusable_quarantine_folder_moves_nothing(library, tmp_path: Path) -> None:
    root, groups, cache = library
    before = snapshot(*dupes(root))
    for folder in (tmp_path / "missing", write(tmp_path / "a-file", b"x")):
        outcomes = quarantine.move_to_quarantine(plan_removal(groups, dupes(root)),
                                                 str(folder), Journal(cache))
        assert all(not o.ok and "not moved" in o.reason for o in outcomes)
    assert snapshot(*dupes(root)) == before


def test_a_read_only_source_folder_keeps_its_file(library, tmp_path: Path) -> None:
    root, groups, cache = library
    before = snapshot(*dupes(root))
    chosen = tmp_path / "q"
    chosen.mkdir()
    with immutable(root / "dupes"):
        outcomes = quarantine.move_to_quarantine(plan_removal(groups, dupes(root)),
                                                 str(chosen), Journal(cache))
    assert all(not o.ok and "left in place" in o.reason for o in outcomes)
    assert snapshot(*dupes(root)) == before
    assert not any(p.is_file() for p in chosen.rglob("*"))  # no copies left behind


def test_across_volumes_the_copy_is_verified_before_the_original_goes(
        library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hard links and renames fail across volumes (EXDEV): each file is copied, both ways,
    keeping bytes and mtime."""
    root, groups, cache = library
    before = snapshot(*dupes(root))
    chosen = tmp_path / "q"
    chosen.mkdir()
    split_volumes(monkeypatch, root, chosen)
    copies = copies_made(monkeypatch)
    journal = Journal(cache)
    outcomes = quarantine.move_to_quarantine(plan_removal(groups, dupes(root)), str(chosen),
                                             journal)
    assert all(o.ok for o in outcomes) and len(copies) == 3
    assert {o.path: snapshot(o.trashed_as)[o.trashed_as] for o in outcomes} == before
    assert all(o.ok for o in undo_last_batch(journal)) and len(copies) == 6
    assert snapshot(*before) == before
    assert not any(p.is_file() for p in chosen.rglob("*"))


def test_on_a_volume_without_links_files_are_renamed_not_copied(
        library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """exFAT (an SD card, most USB drives) has no hard links: on one volume a file is renamed
    after checking that the name is free, never copied, both ways."""
    root, groups, cache = library
    before = snapshot(*dupes(root))
    chosen = tmp_path / "q"
    chosen.mkdir()
    no_links(monkeypatch)
    copies = copies_made(monkeypatch)
    journal = Journal(cache)
    outcomes = quarantine.move_to_quarantine(plan_removal(groups, dupes(root)), str(chosen),
                                             journal)
    assert all(o.ok for o in outcomes)
    assert {o.path: snapshot(o.trashed_as)[o.trashed_as] for o in outcomes} == before
    assert all(o.ok for o in undo_last_batch(journal))
    assert snapshot(*before) == before and copies == []


def copies_made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The targets of every shutil.copy2 from now on (the copies still made)."""
    made: list[str] = []
    real = shutil.copy2

    def copy(source: object, target: object, **kwargs: object) -> object:
        made.append(str(target))
        return real(source, target, **kwargs)

    monkeypatch.setattr(shutil, "copy2", copy)
    return made


def test_undo_finds_a_file_the_app_stopped_on_mid_quarantine(library, tmp_path: Path) -> None:
    """A crash after the target was journaled: undo looks there, or sees it never left."""
    root, groups, cache = library
    moved, stayed = str(root / "dupes/a copy.jpg"), str(root / "dupes/a small.jpg")
    before = snapshot(moved, stayed)
    plan = plan_removal(groups, {moved, stayed})
    journal = Journal(cache)
    batch = journal.start_batch(plan.files)
    targets = {f.path: quarantine.target_for(str(tmp_path / "q" / "b"), f.path)
               for f in plan.files}
    for seq, file in enumerate(plan.files):
        journal.record(batch, seq, PENDING, quarantine.STAGE_QUARANTINE, targets[file.path])
    quarantine.move_without_overwrite(moved, targets[moved])
    os.makedirs(os.path.dirname(targets[stayed]), exist_ok=True)
    os.link(stayed, targets[stayed])  # linked, but the original was not yet unlinked
    outcomes = {o.path: o for o in undo_last_batch(journal)}
    assert outcomes[moved].ok and not outcomes[stayed].ok
    assert outcomes[stayed].reason == "it was never moved"
    assert snapshot(moved, stayed) == before
    assert not os.path.lexists(targets[stayed])
    assert journal.last_undoable() is None


def test_undo_when_the_quarantined_file_was_deleted_from_there(no_trash: None, library,
                                                               tmp_path: Path) -> None:
    root, groups, cache = library
    chosen = tmp_path / "q"
    chosen.mkdir()
    journal = Journal(cache)
    (outcome,) = quarantine.move_to_quarantine(
        plan_removal(groups, {str(root / "dupes/a copy.jpg")}), str(chosen), journal)
    os.unlink(outcome.trashed_as)
    (undone,) = undo_last_batch(journal)
    assert not undone.ok and undone.reason == undo.QUARANTINE_GONE
    assert journal.last_undoable() is None


def test_nothing_is_ever_overwritten(tmp_path: Path) -> None:
    source, target = write(tmp_path / "a.jpg", b"mine"), write(tmp_path / "q/a.jpg", b"theirs")
    with pytest.raises(FileExistsError):
        quarantine.move_without_overwrite(str(source), str(target))
    assert source.read_bytes() == b"mine" and target.read_bytes() == b"theirs"
