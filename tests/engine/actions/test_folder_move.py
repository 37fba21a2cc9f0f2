"""Move to folder with real files, a real journal and real undo: the folder structure is kept
below the target (one prefix per scanned folder), nothing is overwritten, units move whole, and
undo puts every file back byte-identical with its mtime."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedup_gui.engine.actions.folder_move import (
    move_to_folder,
    root_prefixes,
    target_path,
    target_problem,
)
from dedup_gui.engine.actions.journal import QUARANTINED, RESTORED, SKIPPED, Journal
from dedup_gui.engine.actions.removal import VANISHED, plan_removal, undo_last_batch
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.types import Group, GroupFile
from tests.safety.helpers import snapshot, write


def grouped(*paths: Path, companions: dict[Path, list[Path]] | None = None) -> Group:
    """A group of real files as a scan would give it (size and mtime as they are now)."""
    companions = companions or {}
    files = []
    for path in paths:
        st_ = os.stat(path)
        files.append(GroupFile(str(path), st_.st_size, st_.st_mtime_ns, 10, 10, "JPEG",
                               companions=tuple(map(str, companions.get(path, ())))))
    return Group(tuple(files), ())


def library(tmp_path: Path) -> tuple[Path, Path, Path, Path]:
    """Pictures/2019/x.jpg (kept: Pictures/keep.jpg) and a second root Phone/DCIM/y.jpg."""
    pictures, phone = tmp_path / "home/Pictures", tmp_path / "card/Phone"
    keep = write(pictures / "keep.jpg", b"same photo")
    x = write(pictures / "2019/x.jpg", b"same photo")
    write(phone / "DCIM/y.jpg", b"same photo")
    os.utime(x, ns=(1_500_000_000_000_000_000, 1_500_000_000_123_456_789))
    return pictures, phone, keep, x


def test_structure_kept_below_target_and_undo_is_exact(tmp_path: Path) -> None:
    pictures, phone, keep, x = library(tmp_path)
    y = phone / "DCIM/y.jpg"
    target = tmp_path / "sorted"
    target.mkdir()
    before = snapshot(x, y)
    cache = Cache(tmp_path / "cache.sqlite3")
    plan = plan_removal([grouped(keep, x, y)], {str(x), str(y)})
    outcomes = move_to_folder(plan, str(target), [str(pictures), str(phone)], Journal(cache))
    assert all(o.ok for o in outcomes), outcomes
    moved_x, moved_y = target / "Pictures/2019/x.jpg", target / "Phone/DCIM/y.jpg"
    assert snapshot(moved_x)[str(moved_x)] == before[str(x)]
    assert snapshot(moved_y)[str(moved_y)] == before[str(y)]
    assert not x.exists() and not y.exists() and keep.exists()
    journal = Journal(cache)
    batch = journal.batches()[0].id
    assert {i.state for i in journal.items(batch)} == {QUARANTINED}

    restored = undo_last_batch(journal)
    assert all(o.ok for o in restored) and len(restored) == 2
    assert snapshot(x, y) == before
    assert not moved_x.exists() and not moved_y.exists()
    assert {i.state for i in journal.items(batch)} == {RESTORED}
    assert target.is_dir() and list(target.iterdir()) == []  # no empty tree left behind


def test_undo_keeps_the_chosen_folder_when_its_name_mirrors_the_library(tmp_path: Path
                                                                         ) -> None:
    """The chosen folder is named like the library's parent (home): Undo removes the folders
    the move made below it, never the chosen folder itself, nor one that holds a file."""
    pictures, _phone, keep, x = library(tmp_path)
    target = tmp_path / "elsewhere/home"
    write(target / "notes.txt", b"the person's own file")
    write(target / "Pictures/mine.jpg", b"already there")
    cache = Cache(tmp_path / "cache.sqlite3")
    plan = plan_removal([grouped(keep, x)], {str(x)})
    assert all(o.ok for o in move_to_folder(plan, str(target), [str(pictures)],
                                            Journal(cache)))
    (target / "notes.txt").unlink()
    assert all(o.ok for o in undo_last_batch(Journal(cache)))
    assert x.exists() and not (target / "Pictures/2019").exists()
    assert sorted(p.name for p in target.rglob("*")) == ["Pictures", "mine.jpg"]
    (target / "Pictures/mine.jpg").unlink()
    assert all(o.ok for o in move_to_folder(plan_removal([grouped(keep, x)], {str(x)}),
                                            str(target), [str(pictures)], Journal(cache)))
    assert all(o.ok for o in undo_last_batch(Journal(cache)))
    assert target.is_dir() and list(target.iterdir()) == []


def test_roots_with_the_same_name_get_different_stable_prefixes(tmp_path: Path) -> None:
    roots = [str(tmp_path / "d/Photos"), str(tmp_path / "e/Photos"), str(tmp_path / "Misc")]
    prefixes = root_prefixes(roots)
    assert prefixes[roots[2]] == "Misc"
    assert len(set(prefixes.values())) == 3
    assert all(p.startswith("Photos ") for p in (prefixes[roots[0]], prefixes[roots[1]]))
    assert root_prefixes(list(reversed(roots))) == prefixes
    file = os.path.join(roots[0], "a/b.jpg")
    assert target_path(file, "/t", prefixes) == os.path.join("/t", prefixes[roots[0]], "a/b.jpg")
    nested = {**prefixes, str(tmp_path / "d/Photos/a"): "a"}  # the outermost folder decides
    assert target_path(file, "/t", nested) == os.path.join("/t", prefixes[roots[0]], "a/b.jpg")


def test_a_taken_name_refuses_its_unit_and_overwrites_nothing(tmp_path: Path) -> None:
    pictures, _phone, keep, x = library(tmp_path)
    xmp = write(pictures / "2019/x.jpg.xmp", b"<rating 5>")
    target = tmp_path / "sorted"
    squatter = write(target / "Pictures/2019/x.jpg.xmp", b"someone else's sidecar")
    before = snapshot(x, xmp, squatter)
    plan = plan_removal([grouped(keep, x, companions={x: [xmp]})], {str(x)})
    outcomes = move_to_folder(plan, str(target), [str(pictures)], Journal(Cache(None)))
    assert [o.ok for o in outcomes] == [False, False]
    assert "already exists" in outcomes[1].reason and "overwritten" in outcomes[1].reason
    assert "x.jpg.xmp" in outcomes[0].reason  # the photo says which file held it back
    assert snapshot(x, xmp, squatter) == before
    assert not (target / "Pictures/2019/x.jpg").exists()


def test_a_vanished_file_is_refused_and_the_rest_moves(tmp_path: Path) -> None:
    pictures, _phone, keep, x = library(tmp_path)
    z = write(pictures / "z.jpg", b"same photo")
    plan = plan_removal([grouped(keep, x, z)], {str(x), str(z)})
    z.unlink()
    (tmp_path / "out").mkdir()
    outcomes = move_to_folder(plan, str(tmp_path / "out"), [str(pictures)], Journal(Cache(None)))
    by_path = {o.path: o for o in outcomes}
    assert by_path[str(x)].ok and not by_path[str(z)].ok
    assert by_path[str(z)].reason == VANISHED


@pytest.mark.parametrize("where", ["inside", "holding"])
def test_a_target_overlapping_a_scanned_folder_is_refused(tmp_path: Path, where: str) -> None:
    pictures, _phone, keep, x = library(tmp_path)
    target = pictures / "sorted" if where == "inside" else pictures.parent
    target.mkdir(exist_ok=True)
    assert target_problem(str(target), [str(pictures)])
    before = snapshot(x)
    plan = plan_removal([grouped(keep, x)], {str(x)})
    (outcome,) = move_to_folder(plan, str(target), [str(pictures)], Journal(Cache(None)))
    assert not outcome.ok and "scanned folder" in outcome.reason
    assert snapshot(x) == before


# -- the property: units whole, nothing overwritten, undo exact ---------------------------------
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sizes=st.lists(st.integers(2, 3), min_size=1, max_size=3),
       marks=st.sets(st.integers(0, 8)), sidecars=st.sets(st.integers(0, 8)),
       clashes=st.sets(st.integers(0, 17)), vanish=st.sets(st.integers(0, 17), max_size=2))
def test_units_move_whole_nothing_is_overwritten_and_undo_is_exact(
        sizes, marks, sidecars, clashes, vanish) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root, target = Path(tmp) / "lib", Path(tmp) / "target"
        groups, photos, companions = [], [], {}
        for g, size in enumerate(sizes):
            members = []
            for i in range(size):
                path = write(root / f"d{i}" / f"g{g}_{i}.jpg", f"{g}.{i}".encode())
                if len(photos) in sidecars:
                    companions[path] = [write(path.with_suffix(".xmp"), f"x{g}.{i}".encode())]
                members.append(path)
                photos.append(path)
            groups.append(grouped(*members, companions=companions))
        files = photos + [c for cs in companions.values() for c in cs]
        prefixes = root_prefixes([str(root)])
        squatters = [write(Path(target_path(str(f), str(target), prefixes)), b"squatter")
                     for n, f in enumerate(files) if n in clashes]
        target.mkdir(exist_ok=True)
        plan = plan_removal(groups, {str(photos[i]) for i in marks if i < len(photos)})
        for n, f in enumerate(files):
            if n in vanish:
                f.unlink()
        before = snapshot(*files, *squatters)
        journal = Journal(Cache(None))
        outcomes = move_to_folder(plan, str(target), [str(root)], journal)
        moved = {o.path for o in outcomes if o.ok}
        assert snapshot(*squatters) == {k: before[k] for k in map(str, squatters)}
        for photo, extra in companions.items():  # a unit: all moved or none
            assert len({p in moved for p in [str(photo), *map(str, extra)]}) == 1
        for path in map(str, files):
            if path in moved:
                where = target_path(path, str(target), prefixes)
                assert snapshot(where)[where] == before[path] and not os.path.lexists(path)
            elif path in before:
                assert snapshot(path)[path] == before[path]
        undo_last_batch(journal)
        assert snapshot(*files, *squatters) == before
        left = [d for d in target.rglob("*") if d.is_dir() and not any(d.iterdir())]
        assert target.is_dir() and left == []  # no folder the move made left empty
        assert {i.state for i in journal.items(1)} <= {RESTORED, SKIPPED}
