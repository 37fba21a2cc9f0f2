"""One dedup-gui at a time per user: a second launch says so and brings the first forward.

Two instances share one cache, one saved session and one trash journal: a first-user review had
the second open the last saved marks, older than the first one's, and either could then write
over the other's. The first launch holds a lock file in the data folder for its whole life and
watches a second file beside it; a later launch finds the lock held, writes to that file (the
first raises its window and empties it, which is its answer), says that dedup-gui is already
running, and exits. A watched file, not a local socket: the packaged app leaves QtNetwork out.
Folders given to the later launch (a folder dropped on the icon, `dedup-gui FOLDER`) go in the
knock, one line each, and the running window adds them (a Takeout check: they were dropped,
and the later launch waited on its message box).

A lock left by a crash does not block a launch: QLockFile sees that the process that wrote it is
gone. Its age is never taken as a sign of a crash (`setStaleLockTime(0)`): the app keeps its lock
for hours, and the default 30 s would let a second instance take the lock from a running one.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QLockFile, QObject, Signal

from dedup_gui import paths
from dedup_gui.text import plural

LOCK_FILE = "dedup-gui.lock"
RAISE_FILE = "dedup-gui.raise"  # a later launch writes here; the running one empties it
ANSWER_S = 2.0  # the first instance's answer; it may be busy painting a big result
ALREADY_RUNNING = "dedup-gui is already running"
FOLDER_LINE = "open\t"  # a knock's line naming a folder to add, then the path


def lock_path() -> Path:
    """Beside the saved session: instances with other data folders (tests) do not clash."""
    return paths.data_dir() / LOCK_FILE


def raise_path(lock: Path) -> Path:
    return lock.with_name(RAISE_FILE)


class Instance(QObject):
    """The running app's claim: the lock, held until `release`, and the watched file that
    hears a second launch (`activated`: bring the window forward; `opened`: the folders it
    was given, before `activated`)."""

    activated = Signal()
    opened = Signal(object)  # a list of paths (object: a str signal drops surrogate escapes)

    def __init__(self, lock: QLockFile, knock: Path) -> None:
        super().__init__()
        self.lock, self.knock = lock, knock
        knock.write_bytes(b"")  # a crashed first instance's knock is not a new one
        self.watcher = QFileSystemWatcher([str(knock)], self)
        self.watcher.fileChanged.connect(self._on_knock)

    def _on_knock(self, _path: str) -> None:
        try:
            said = self.knock.read_bytes()
            if said:
                self.knock.write_bytes(b"")  # the answer the second launch waits for
        except OSError:
            return
        if str(self.knock) not in self.watcher.files():  # replaced, not written: watch again
            self.watcher.addPath(str(self.knock))
        if said:
            if folders := folders_in(said):
                self.opened.emit(folders)
            self.activated.emit()

    def release(self) -> None:
        self.watcher.removePaths(self.watcher.files())
        self.lock.unlock()


class LockUnavailable(Exception):
    """The lock file cannot be made at all (a full or read-only disk): nobody holds it."""


def claim(lock: Path | None = None) -> Instance | None:
    """This process's claim to be the one dedup-gui, or None when another one holds it;
    LockUnavailable when the lock cannot be made (a hostile-input check on a full disk was
    told "dedup-gui is already running", with none running)."""
    lock = lock or lock_path()
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise LockUnavailable(f"{lock.parent}: {error.strerror or error}") from error
    lock_file = QLockFile(str(lock))
    lock_file.setStaleLockTime(0)  # stale only when its process is gone, never by age
    if not lock_file.tryLock(0):
        if lock_file.error() != QLockFile.LockError.LockFailedError:
            raise LockUnavailable(f"{lock} could not be written (the disk may be full or "
                                  "read-only)")
        return None
    try:
        return Instance(lock_file, raise_path(lock))
    except OSError as error:  # the knock file: the lock was made, the disk filled since
        lock_file.unlock()
        raise LockUnavailable(f"{raise_path(lock)}: {error.strerror or error}") from error


def holder(lock: Path | None = None) -> int | None:
    """The process id of the running instance (None when the lock file cannot be read)."""
    info = QLockFile(str(lock or lock_path())).getLockInfo()  # (pid, host, app name)
    pid = info[-3] if isinstance(info, tuple) and len(info) >= 3 else 0  # (ok, …) in some
    return pid if isinstance(pid, int) and not isinstance(pid, bool) and pid > 0 else None


def folders_in(knock: bytes) -> list[str]:
    """The folders a knock names (bring_forward's lines), in order."""
    lines = knock.decode("utf-8", "surrogateescape").splitlines()
    return [line[len(FOLDER_LINE):] for line in lines if line.startswith(FOLDER_LINE)]


def bring_forward(lock: Path | None = None, wait_s: float = ANSWER_S,
                  folders: Sequence[str] = ()) -> bool:
    """Asks the running instance to raise its window (and add `folders`, made absolute:
    the two processes need not share a working folder); whether it answered in time."""
    knock = raise_path(lock or lock_path())
    said = "raise\n" + "".join(f"{FOLDER_LINE}{os.path.abspath(f)}\n" for f in folders)
    try:
        with knock.open("ab") as file:
            file.write(said.encode("utf-8", "surrogateescape"))
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if knock.stat().st_size == 0:
                return True
            time.sleep(0.05)
    except OSError:
        pass
    return False


def already_running_text(raised: bool, pid: int | None, folders: int = 0) -> str:
    """What the second launch says before it exits."""
    process = f" (process {pid})" if pid else ""
    added = f", with the {plural(folders, 'folder')} you opened added" if folders else ""
    where = (f"Its window has been brought to the front{added}." if raised else
             "Switch to its window, or close it before opening dedup-gui again.")
    return (f"{ALREADY_RUNNING}{process}. {where} Two at once would share the saved results, "
            "marks and trash journal, and each would write over the other's.")


def unguarded_text(why: str) -> str:
    """What the window says when it runs without the lock (LockUnavailable)."""
    return (f"dedup-gui could not make its lock file ({why}): it runs, but a second dedup-gui "
            "started now would not be stopped. Free some space or make the folder writable.")


def second_launch(tell: Callable[[str], object], lock: Path | None = None,
                  folders: Sequence[str] = ()) -> int:
    """Another instance holds the lock: bring it forward with `folders`, say so (stderr, and
    `tell`, a message box in the app), and return the exit status. Folders the running window
    took need no box: it shows them added (0: done)."""
    lock = lock or lock_path()
    pid = holder(lock)  # before the knock: the first may quit on it (tests do)
    raised = bring_forward(lock, folders=folders)
    text = already_running_text(raised, pid, len(folders))
    print(f"dedup-gui: {text}", file=sys.stderr)
    if raised and folders:
        return 0
    tell(text)
    return 1
