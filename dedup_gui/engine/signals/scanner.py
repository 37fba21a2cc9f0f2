"""Find the image files under the folders (or single files) a person chose.

The walk is iterative (an explicit stack) so very deep trees cannot hit Python's recursion limit,
and every decision that could depend on the order the OS lists entries is made order-free: roots
and folder entries are sorted, and a file reached twice keeps one canonical path. So the same tree
always gives the same Discovery, whatever order the roots were given in.

Problems (unreadable folders, broken links, files that vanish mid-scan) become Issues, never
exceptions: one bad folder must not stop a scan of a whole photo library.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter

from dedup_gui.engine.progress import STAGE_DISCOVER, CancelToken, ProgressCallback, report
from dedup_gui.engine.signals.companions import COMPANION_EXTENSIONS, wanted_in_folder
from dedup_gui.engine.signals.raw import RAW_EXTENSIONS
from dedup_gui.engine.signals.statting import Statter, stat_entry
from dedup_gui.engine.types import FileEntry, Issue, make_file_entry

IMAGE_EXTENSIONS: frozenset[str] = frozenset({
    ".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff",
    ".heic", ".heif", ".avif",
}) | RAW_EXTENSIONS  # camera RAW: decoded by LibRaw (raw.py)

# Skipped without opening them: sniffing every video or sidecar in a photo library would cost a
# read per file for nothing. RAW kinds we do not decode are here too: their TIFF-like header
# would pass the sniff, and treating them as images would only produce load failures.
NON_IMAGE_EXTENSIONS: frozenset[str] = frozenset({
    # video and audio
    ".mp4", ".m4v", ".mov", ".avi", ".mkv", ".wmv", ".mpg", ".mpeg", ".mts", ".m2ts", ".3gp",
    ".webm", ".flv", ".lrv", ".mp3", ".m4a", ".aac", ".wav", ".flac", ".ogg", ".wma", ".aiff",
    # text, documents, sidecars, app databases, archives, programs
    ".txt", ".md", ".csv", ".json", ".xml", ".xmp", ".aae", ".thm", ".html", ".htm", ".pdf",
    ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".rtf", ".log", ".ini", ".yaml",
    ".yml", ".db", ".sqlite", ".plist", ".psd", ".svg", ".zip", ".rar", ".7z", ".tar", ".gz",
    ".bz2", ".xz", ".tgz", ".dmg", ".iso", ".exe", ".dll", ".so", ".dylib", ".py", ".js",
    # camera RAW kinds outside the common set raw.py reads
    ".crw", ".nrw", ".srf", ".sr2", ".x3f", ".3fr", ".erf", ".kdc", ".mrw", ".raw", ".rwl",
    ".iiq",
})

SNIFF_BYTES = 32
_HEIF_BRANDS = frozenset({
    b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1",
    b"avif", b"avis",
})
_SIMPLE_MAGIC = (
    b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*",
)
_BMP_HEADER_SIZES = frozenset({12, 40, 52, 56, 64, 108, 124})
_REPORT_SECONDS = 0.1
_CHECK_EVERY = 256  # entries between cancel checks; a power of two so the test is a mask

Key = tuple[int, int]


@dataclass(frozen=True)
class Discovery:
    """What a walk found: image files and the problems met on the way, both sorted by path, and
    the files beside those images that may belong to their shot (RAW, Live video, sidecars:
    signals/companions.py), found in the same folder listing."""

    files: tuple[FileEntry, ...]
    issues: tuple[Issue, ...]
    companions: tuple[FileEntry, ...] = ()


def sniff_image(head: bytes) -> bool:
    """True if the first bytes of a file look like a format the loader can open.

    Only used for files with no or unknown extensions (phone exports, recovered files), so a
    cheap header check is enough; the loader still reports files that turn out to be broken.
    """
    if head.startswith(_SIMPLE_MAGIC):
        return True
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return True
    if head[:2] == b"BM":  # two letters alone match too much text; check the DIB header size
        return int.from_bytes(head[14:18], "little") in _BMP_HEADER_SIZES
    if head[4:8] == b"ftyp":  # ISO-BMFF: major brand, then compatible brands to the box end
        end = min(int.from_bytes(head[:4], "big"), len(head))
        brands = [head[8:12]] + [head[i:i + 4] for i in range(16, end - 3, 4)]
        return any(brand in _HEIF_BRANDS for brand in brands)
    return False


def is_image_file(path: str | os.PathLike[str], name: str | None = None) -> bool:
    """Decide by extension, sniffing only unknown ones. Raises OSError if a sniff can't read."""
    ext = _extension(os.path.basename(os.fspath(path)) if name is None else name)
    if ext in IMAGE_EXTENSIONS:
        return True
    if ext in NON_IMAGE_EXTENSIONS:
        return False
    with open(path, "rb") as fh:
        return sniff_image(fh.read(SNIFF_BYTES))


def discover(roots: Sequence[str | os.PathLike[str]], *, include_hidden: bool = False,
             progress: ProgressCallback | None = None,
             cancel: CancelToken | None = None) -> Discovery:
    """Walk `roots` (folders or single files) and return every image file under them, once.

    Hidden names (a leading ".") are skipped unless `include_hidden`: they hold app caches,
    thumbnails, trash (.Trashes, .thumbnails) and macOS "._*" resource-fork junk, which would
    otherwise show up as piles of bogus duplicates of the real photos. A root itself is always
    used, hidden or not, because a person picked it on purpose.
    """
    walk = _Walk(include_hidden, progress, cancel)
    for root in sorted({os.path.abspath(os.fspath(r)) for r in roots}, reverse=True):
        walk.add_root(root)
    try:
        return walk.run()
    finally:
        walk.statter.close()


def _extension(name: str) -> str:
    """Lower-case extension, ".jpg" alone having none; cheaper than splitext, and runs per file."""
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def _reason(exc: OSError, action: str) -> str:
    """Turn an OSError into words a person can act on."""
    if exc.errno == errno.ELOOP:
        return "symbolic link loops back on itself"
    if isinstance(exc, PermissionError):
        return f"{action}: permission denied"
    if isinstance(exc, FileNotFoundError):
        return f"{action}: it disappeared during the scan"
    return f"{action}: {exc.strerror or exc}"


_stat = stat_entry


class _Walk:
    """State of one discover() call, kept in an object so each step stays a short method."""

    def __init__(self, include_hidden: bool, progress: ProgressCallback | None,
                 cancel: CancelToken | None) -> None:
        self.include_hidden = include_hidden
        self.progress = progress
        self.cancel = cancel
        # inode -> ((is symlink, path), entry): the smallest key wins, so real files beat links
        # and among hard links the smallest path wins, independent of walk order.
        self.files: dict[Key, tuple[tuple[bool, str], FileEntry]] = {}
        self.issues: set[Issue] = set()
        self.companions: dict[str, FileEntry] = {}
        self.root_images: dict[str, list[str]] = {}  # folder -> images given one by one
        self.visited: set[Key] = set()
        self.stack: list[tuple[str, Key]] = []
        # Symlinked folders wait until every real folder is walked, so a folder reachable both
        # ways is listed under its real path whenever that path is inside the roots.
        self.deferred: list[tuple[str, Key]] = []
        self.seen = 0
        self.last_report = float("-inf")
        self.statter = Statter()

    def add_root(self, root: str) -> None:
        try:
            st = os.stat(root)
        except FileNotFoundError:
            self.issue(root, "broken symbolic link" if os.path.islink(root) else "does not exist")
            return
        except OSError as exc:
            self.issue(root, _reason(exc, "can't open"))
            return
        if stat.S_ISDIR(st.st_mode):
            todo = self.deferred if os.path.islink(root) else self.stack
            todo.append((root, (st.st_dev, st.st_ino)))
        elif not stat.S_ISREG(st.st_mode):
            self.issue(root, "not a folder or a regular file")
        elif self._root_is_image(root):
            self.add_file(root, st, os.path.islink(root))
            self.root_images.setdefault(os.path.dirname(root), []).append(
                os.path.basename(root))

    def _root_is_image(self, root: str) -> bool:
        """A dropped file that is not an image gets an Issue: the person asked for it by name."""
        try:
            if is_image_file(root):
                return True
        except OSError as exc:
            self.issue(root, _reason(exc, "can't read file"))
            return False
        self.issue(root, "not a supported image file")
        return False

    def run(self) -> Discovery:
        while self.stack or self.deferred:
            if not self.stack:
                self.stack = sorted(self.deferred, reverse=True)
                self.deferred = []
            self.visit_folder(*self.stack.pop())
        for folder, names in self.root_images.items():
            self.companions_of_root_images(folder, names)
        found = len(self.files)
        report(self.progress, STAGE_DISCOVER, found, found)
        files = sorted((entry for _, entry in self.files.values()), key=attrgetter("path"))
        issues = sorted(self.issues, key=attrgetter("path", "reason"))
        companions = sorted(self.companions.values(), key=attrgetter("path"))
        return Discovery(tuple(files), tuple(issues), tuple(companions))

    def visit_folder(self, path: str, key: Key) -> None:
        if key in self.visited:
            return
        self.visited.add(key)
        self.tick(path)
        try:
            with os.scandir(path) as listing:
                entries = list(listing)  # in the OS's order: only the subfolders need sorting
        except OSError as exc:
            self.issue(path, _reason(exc, "can't open folder"))
            return
        subfolders: list[tuple[str, Key]] = []
        images: list[str] = []
        others: dict[str, os.DirEntry[str]] = {}
        plain: list[os.DirEntry[str]] = []
        for entry in entries:
            self.seen += 1
            if not self.seen & (_CHECK_EVERY - 1):
                self.tick(path)
            name = entry.name
            if not self.include_hidden and name.startswith("."):
                continue
            if _extension(name) in IMAGE_EXTENSIONS and entry.is_file(follow_symlinks=False):
                plain.append(entry)  # almost every entry: a regular file named as an image
            elif self.visit_entry(entry, subfolders):
                images.append(name)
            elif _extension(name) in COMPANION_EXTENSIONS:
                others[name] = entry
        images += self.add_plain(plain, subfolders)
        if images and others:
            self.add_companions(others[name] for name in wanted_in_folder(images, others))
        self.stack.extend(sorted(subfolders, reverse=True))  # popped in name order

    def companions_of_root_images(self, folder: str, names: list[str]) -> None:
        """Photos dropped one by one still take their RAW, Live video and sidecars along."""
        try:
            with os.scandir(folder) as listing:
                others = {e.name: e for e in listing
                          if _extension(e.name) in COMPANION_EXTENSIONS
                          and (self.include_hidden or not e.name.startswith("."))}
        except OSError:
            return  # the photos themselves were found; they travel alone
        self.add_companions(others[name] for name in wanted_in_folder(names, others))

    def add_companions(self, entries: Iterable[os.DirEntry[str]]) -> None:
        """Stat only the files named after an image of this folder (no second listing)."""
        for entry in entries:
            try:
                if entry.is_file():
                    st = _stat(entry)
                    self.companions[entry.path] = FileEntry(entry.path, st.st_size,
                                                            st.st_mtime_ns)
            except OSError:
                continue  # vanished or unreadable: the photo then travels without it

    def add_plain(self, entries: list[os.DirEntry[str]], subfolders: list[tuple[str, Key]]
                  ) -> list[str]:
        """Regular files (no link) with an image extension, known from the listing's file
        type, statted together (statting.py); one that fails goes the general way, which
        reports it. Returns the names of the images added."""
        names = []
        for entry, st in zip(entries, self.statter.stat_all(entries), strict=True):
            if isinstance(st, OSError):
                if not self.visit_entry(entry, subfolders):
                    continue
            else:
                self.add_file(entry.path, st, False)
            names.append(entry.name)
        return names

    def visit_entry(self, entry: os.DirEntry[str], subfolders: list[tuple[str, Key]]) -> bool:
        """Vanished entries become Issues too: the person should know the result is partial.
        True for an image file (its name then anchors companions)."""
        try:
            if entry.is_dir():
                st = _stat(entry)
                key = (st.st_dev, st.st_ino)
                if key not in self.visited:
                    (self.deferred if entry.is_symlink() else subfolders).append((entry.path, key))
            elif entry.is_file():
                if is_image_file(entry.path, entry.name):
                    self.add_file(entry.path, _stat(entry), entry.is_symlink())
                    return True
            elif entry.is_symlink() and not os.path.exists(entry.path):
                self.issue(entry.path, "broken symbolic link")
        except OSError as exc:
            self.issue(entry.path, _reason(exc, "can't read"))
        return False

    def add_file(self, path: str, st: os.stat_result, is_link: bool) -> None:
        key = (st.st_dev, st.st_ino)
        rank = (is_link, path)
        kept = self.files.get(key)
        if kept is None or rank < kept[0]:
            self.files[key] = (rank, make_file_entry(path, st.st_size, st.st_mtime_ns))

    def issue(self, path: str, reason: str) -> None:
        self.issues.add(Issue(path, reason))

    def tick(self, folder: str) -> None:
        """Cancel check plus time-throttled progress; called per folder and every N entries."""
        if self.cancel is not None:
            self.cancel.raise_if_cancelled()
        now = time.monotonic()
        if now - self.last_report >= _REPORT_SECONDS:
            self.last_report = now
            report(self.progress, STAGE_DISCOVER, len(self.files), 0, folder)
