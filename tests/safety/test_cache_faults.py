"""Cache faults, each made for real: a file of random bytes, a truncated file, a file locked by a
second running process, a read-only file, a scan killed with SIGKILL half-way, a disk that fills
up (a 64 kB tmpfs in a private mount namespace where the kernel allows one; else a file-size
limit, which fails writes the same way). Every time the scan says what happened, keeps or
rebuilds the cache, gives the same groups as a scan without any cache, and so does the next one.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.store import connection as connection_module
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.types import ScanResult
from tests.safety.helpers import immutable, jpeg, write

ROOT = Path(__file__).resolve().parents[2]
Groups = list[list[str]]


def make_library(root: Path, photos: int = 12) -> Path:
    """Photos with an exact copy and a re-encoded copy each, plus a broken file."""
    for seed in range(photos):
        write(root / f"a/p{seed}.jpg", jpeg(200 + seed, size=(160, 120)))
        write(root / f"b/p{seed} copy.jpg", jpeg(200 + seed, size=(160, 120)))
        write(root / f"b/p{seed} small.jpg", jpeg(200 + seed, quality=60, size=(160, 120)))
    write(root / "a/broken.jpg", jpeg(1)[:300])
    return root


def scan(root: Path, cache: Cache) -> ScanResult:
    try:
        return run_scan(ScanParams((str(root),), embeddings=False, workers=1), cache)
    finally:
        cache.close()


def groups_of(result: ScanResult) -> Groups:
    return sorted(sorted(f.path for f in g.files) for g in result.groups)


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Groups]:
    root = make_library(tmp_path_factory.mktemp("faults") / "library")
    baseline = scan(root, Cache(None))
    assert len(baseline.groups) == 12 and len(baseline.issues) == 1
    return root, groups_of(baseline)


@pytest.fixture
def fast_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(connection_module, "BUSY_TIMEOUT_S", 0.2)


def filled_cache(root: Path, db: Path) -> Path:
    assert scan(root, Cache(db)).warnings == ()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return db


def assert_recovers(root: Path, db: Path, expected: Groups, says: str) -> None:
    """This scan warns with `says` and is right; the next one is right, quiet and cached."""
    first = scan(root, Cache(db))
    assert any(says in w for w in first.warnings), first.warnings
    assert groups_of(first) == expected
    second = scan(root, Cache(db))
    assert groups_of(second) == expected
    assert second.warnings == () and second.stats.decoded == 0


def test_a_file_of_random_bytes_is_moved_aside_and_rebuilt(library, tmp_path: Path) -> None:
    root, expected = library
    db = write(tmp_path / "cache.sqlite3", os.urandom(64 * 1024))
    assert_recovers(root, db, expected, "was damaged; it was moved to")
    (aside,) = tmp_path.glob("cache.sqlite3.damaged-*")
    assert aside.stat().st_size == 64 * 1024  # kept for the person, never deleted


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9])
def test_a_truncated_file_is_handled(library, tmp_path: Path, keep: float) -> None:
    root, expected = library
    db = filled_cache(root, tmp_path / "cache.sqlite3")
    data = db.read_bytes()
    db.write_bytes(data[: int(len(data) * keep) // 512 * 512 or 512])
    first = scan(root, Cache(db))
    assert groups_of(first) == expected  # damage seen now, or later when a page is missing
    second = scan(root, Cache(db))
    assert groups_of(second) == expected and second.warnings == ()


HOLDER = textwrap.dedent("""
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    if sys.argv[2] == "exclusive":  # an old-style writer: nobody may even read
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("BEGIN EXCLUSIVE")
    else:  # a second dedup-gui in the middle of a write (WAL: readers go on)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("DELETE FROM signals WHERE path = 'nothing'")
    print("locked", flush=True)
    sys.stdin.read()
    conn.rollback()
""")


def changed_copy(library: Path, into: Path) -> Path:
    """A copy of the library with one file re-saved, so a scan has something to write."""
    shutil.copytree(library, into)
    write(into / "a/p0.jpg", jpeg(200, quality=85, size=(160, 120)))
    return into


@pytest.mark.parametrize(("how", "says"), [("immediate", "results are not saved"),
                                           ("exclusive", "runs without a cache")])
def test_a_database_locked_by_another_running_process(library, tmp_path: Path,
                                                      fast_busy_timeout: None, how: str,
                                                      says: str) -> None:
    db = filled_cache(library[0], tmp_path / "cache.sqlite3")
    root = changed_copy(library[0], tmp_path / "library")
    expected = groups_of(scan(root, Cache(None)))
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), how],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"locked\n"
        locked = scan(root, Cache(db))
        assert groups_of(locked) == expected
        assert any("in use by another dedup-gui" in w and says in w for w in locked.warnings), (
            locked.warnings)
    finally:
        holder.communicate(b"", timeout=30)
    second = scan(root, Cache(db))
    assert groups_of(second) == expected and second.warnings == ()


def test_a_read_only_database_is_read_but_not_written(library, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    db = filled_cache(library[0], folder / "cache.sqlite3")
    root = changed_copy(library[0], tmp_path / "library")  # other paths: decoded anew, not saved
    expected = groups_of(scan(root, Cache(None)))
    with immutable(*folder.iterdir(), folder):
        result = scan(root, Cache(db))
    assert groups_of(result) == expected
    assert any("read-only" in w for w in result.warnings), result.warnings
    assert result.stats.decoded == 26  # 12 photos, 12 re-encodings, p0 copy, the broken file
    again = scan(root, Cache(db))
    assert groups_of(again) == expected and again.stats.decoded == 26  # nothing was saved
    third = scan(root, Cache(db))
    assert groups_of(third) == expected and third.stats.decoded == 0  # writable again


def cli_scan(root: Path, db: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "dedup_gui", "scan", str(root), "--cache", str(db), "--json",
            str(out), "--workers", "1", "-q", *extra]


def json_groups(out: Path) -> Groups:
    report = json.loads(out.read_text("utf-8", "surrogateescape"))
    return sorted(sorted(f["path"] for f in g["files"]) for g in report["groups"])


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}


def test_kill_9_in_the_middle_of_a_scan(tmp_path: Path) -> None:
    root = make_library(tmp_path / "library", photos=400)  # with embeddings: seconds to scan
    expected = groups_of(run_scan(ScanParams((str(root),), workers=1), Cache(None)))
    db = tmp_path / "cache.sqlite3"
    child = subprocess.Popen(cli_scan(root, db, tmp_path / "killed.json"), env=child_env(),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        rows = _wait_for_rows(db, child)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    assert child.returncode == -signal.SIGKILL and rows > 0, "killed before or after the scan"
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    saved = conn.execute("SELECT COUNT(*) FROM signals").fetchone()[0]
    conn.close()
    assert 0 < saved < len(list(root.rglob("*.jpg")))
    out = tmp_path / "again.json"
    done = subprocess.run(cli_scan(root, db, out), env=child_env(), capture_output=True,
                          timeout=300, check=False)
    assert done.returncode == 0 and b"warning" not in done.stderr, done.stderr
    assert json_groups(out) == expected


def _wait_for_rows(db: Path, child: subprocess.Popen, timeout_s: float = 120) -> int:
    """Signals rows saved so far by the running scan (read-only peeks at the WAL database)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and child.poll() is None:
        try:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1)
            try:
                rows = conn.execute("SELECT COUNT(*) FROM signals").fetchone()[0]
            finally:
                conn.close()
            if rows:
                return rows
        except sqlite3.Error:
            pass
        time.sleep(0.02)
    return 0


DISK_FULL = textwrap.dedent("""
    set -e
    mount -t tmpfs -o size=64k tmpfs "$1"
    for run in 1 2; do
      "$PYTHON" -m dedup_gui scan "$2" --cache "$1/cache.sqlite3" --json "$3/run$run.json" \\
        --workers 1 -q --no-embeddings 2> "$3/run$run.err"
    done
    df -k "$1" | tail -1 > "$3/df.txt"
""")


def test_the_disk_filling_up(library, tmp_path: Path) -> None:
    """A real ENOSPC: the cache lives on a 64 kB tmpfs, mounted in a private mount namespace."""
    root, expected = library
    if shutil.which("unshare") is None:
        pytest.skip("no unshare(1) to mount a small tmpfs")
    mount = tmp_path / "small-disk"
    mount.mkdir()
    command = ["unshare", "--mount", "--propagation", "private"]
    if os.geteuid() != 0:
        command[1:1] = ["--user", "--map-root-user"]
    probe = subprocess.run([*command, "mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs",
                            str(mount)], capture_output=True, check=False)
    if probe.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {probe.stderr.decode().strip()}")
    done = subprocess.run([*command, "sh", "-c", DISK_FULL, "sh", str(mount), str(root),
                           str(tmp_path)], env={**child_env(), "PYTHON": sys.executable},
                          capture_output=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr.decode()
    assert (tmp_path / "df.txt").read_text().split()[4] == "100%"  # it really filled up
    for run in (1, 2):
        errors = (tmp_path / f"run{run}.err").read_text()
        assert "disk is full" in errors or "without a cache" in errors, errors
        assert "Traceback" not in errors
        assert json_groups(tmp_path / f"run{run}.json") == expected


FSIZE_LIMITED = textwrap.dedent("""
    import resource, runpy, signal, sys
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))
    sys.argv = ["dedup_gui", *sys.argv[1:]]
    runpy.run_module("dedup_gui", run_name="__main__")
""")


def test_a_file_size_limit_fails_writes_like_a_full_disk(tmp_path: Path) -> None:
    """Where no tmpfs can be mounted this still fails real writes: RLIMIT_FSIZE makes every
    write past 64 kB fail (EFBIG) for the scanning process, as a full disk would. The new
    cache fits; the results of 300 photos do not."""
    root = make_library(tmp_path / "library", photos=100)
    db = tmp_path / "cache.sqlite3"
    for _ in range(2):  # the second run finds the cache as the first left it
        done = subprocess.run([sys.executable, "-c", FSIZE_LIMITED, "scan", str(root), "--cache",
                               str(db), "--workers", "1", "-q", "--no-embeddings"],
                              env=child_env(), capture_output=True, timeout=300, check=False)
        assert done.returncode == 0, done.stderr.decode()
        assert b"Traceback" not in done.stderr
        assert b"file-size limit" in done.stderr, done.stderr
        summary = done.stdout.decode().splitlines()[0]
        assert summary.startswith("301 files (1 could not be read), 100 duplicate groups "
                                  "with 300 files"), summary
    assert db.stat().st_size <= 64 * 1024


def test_undo_works_when_the_database_is_read_only(tmp_path: Path) -> None:
    """Each front-end call opens the database anew: a journal kept only in memory would be gone
    before Undo. With the database read-only it goes to the spare journal in the data folder."""
    from dedup_gui.engine.actions.journal import SPARE_JOURNAL, Journal
    from dedup_gui.engine.actions.removal import move_to_trash, plan_removal, undo_last_batch

    root = make_library(tmp_path / "library", photos=2)
    folder = tmp_path / "ro"
    db = folder / "cache.sqlite3"
    groups = list(scan(root, Cache(db)).groups)
    copy = root / "b/p0 copy.jpg"
    before = copy.read_bytes()
    with immutable(*folder.iterdir(), folder):
        cache = Cache(db)
        journal = Journal(cache)
        (moved,) = move_to_trash(plan_removal(groups, {str(copy)}), journal)
        cache.close()
        assert moved.ok and not copy.exists()
        assert any(SPARE_JOURNAL in w for w in journal.warnings), journal.warnings
        later = Cache(db)  # the Undo call: a new connection
        (restored,) = undo_last_batch(Journal(later))
        later.close()
    assert restored.ok and copy.read_bytes() == before
