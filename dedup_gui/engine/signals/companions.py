"""Capture units: the files of one shot that must stay together (RAW + JPEG, a Live Photo's still
and its video, a photo and its sidecars). The naming rules and the pairing, as pure functions.

Cameras, phones and editors all name a shot's files after the photo, in the photo's folder:
`IMG_1.CR2` + `IMG_1.JPG`; `IMG_1.HEIC` + `IMG_1.MOV`; `IMG_1.xmp` or `IMG_1.JPG.xmp`; iOS's
`IMG_1.AAE` (and `IMG_O1.AAE`, the adjustments of the original); Takeout's `IMG_1.JPG.json`,
`IMG_1.JPG.supplemental-metadata.json` (cut short when the name is long) and `IMG_1.JPG(1).json`
for `IMG_1(1).JPG` (takeout_names.py). Names are compared without case (cards and phones write
upper case, copies made on other systems often lower). A file attaches only when that is
unambiguous: a stem shared by two stills (`IMG_1.JPG` + `IMG_1.PNG`, an export beside its
original) gets no stem-named companion at all, since moving a sidecar or video with the wrong
photo is worse than leaving it.
A RAW pairs with a still only when their capture times agree wherever both are known.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from dedup_gui.engine.signals.takeout_names import cut_photo, json_target
from dedup_gui.engine.types import Capture, FileEntry

RAW_EXTENSIONS: frozenset[str] = frozenset({
    ".cr2", ".cr3", ".crw", ".nef", ".nrw", ".arw", ".srf", ".sr2", ".dng", ".raf", ".orf",
    ".rw2", ".pef", ".srw", ".x3f", ".3fr", ".erf", ".kdc", ".mrw", ".raw", ".rwl", ".iiq",
})
LIVE_EXTENSIONS: frozenset[str] = frozenset({".mov", ".mp4"})
SIDECAR_EXTENSIONS: frozenset[str] = frozenset({".xmp", ".aae", ".thm"})
COMPANION_EXTENSIONS = RAW_EXTENSIONS | LIVE_EXTENSIONS | SIDECAR_EXTENSIONS | {".json"}

RAW, LIVE, SIDECAR = "RAW", "Live video", "sidecar"
Named = tuple[str, FileEntry]  # a file's name (in its folder) and its entry
_ORIGINAL_AAE = re.compile(r"^(.*_)o(\d+)$")  # IMG_O0001.AAE: edits of IMG_0001's original


@dataclass(frozen=True, slots=True)
class Anchor:
    """What a companion file attaches to: a photo's whole name or its stem (both lower case)."""

    key: str
    by_name: bool
    kind: str  # RAW, LIVE or SIDECAR
    cut: bool = False  # `key` may be the start of the name, cut short (takeout_names.py)

    def photo_name(self, names: Iterable[str]) -> str | None:
        """The name among the folder's lower-case photo `names` this anchor names in full:
        its key, or for a cut name the one name it starts."""
        return cut_photo(self.key, names) if self.cut else self.key


@dataclass(frozen=True, slots=True)
class CaptureUnits:
    """The units of a library: each lead image -> the other files of its unit (sorted paths),
    and the images that travel with a lead instead of being grouped on their own (a RAW once
    RAW files are decoded). Entries: scan-time stamps of every companion file."""

    companions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    bound: frozenset[str] = frozenset()
    entries: dict[str, FileEntry] = field(default_factory=dict)


def split_name(name: str) -> tuple[str, str]:
    """(stem, extension) in lower case; a leading dot is not an extension."""
    lower = name.lower()
    dot = lower.rfind(".")
    return (lower[:dot], lower[dot:]) if dot > 0 else (lower, "")


def anchor(name: str) -> Anchor | None:
    """Which photo the file `name` belongs with, by its name alone; None if it is no companion."""
    stem, ext = split_name(name)
    if ext in RAW_EXTENSIONS:
        return Anchor(stem, False, RAW)
    if ext in LIVE_EXTENSIONS:
        return Anchor(stem, False, LIVE)
    if ext == ".aae" and (original := _ORIGINAL_AAE.match(stem)):
        stem = original[1] + original[2]
    if ext in SIDECAR_EXTENSIONS:
        return Anchor(stem, _has_extension(stem), SIDECAR)
    if ext == ".json":
        target = json_target(stem)
        return None if target is None else Anchor(target[0], True, SIDECAR, cut=target[1])
    return None


def _has_extension(stem: str) -> bool:
    """`img_1.jpg` (from `IMG_1.JPG.xmp`) names a whole file; `img_1` only a stem."""
    return bool(split_name(stem)[1])


def wanted_in_folder(image_names: Iterable[str], other_names: Iterable[str]) -> list[str]:
    """The names among `other_names` that may be companions of an image of the same folder: the
    scanner stats only these, so a folder of unrelated videos and documents costs nothing."""
    names, stems = set(), set()
    for name in image_names:
        names.add(name.lower())
        stems.add(split_name(name)[0])
    wanted = []
    for name in other_names:
        found = anchor(name)
        if found is not None and (found.photo_name(names) in names if found.by_name
                                  else found.key in stems):
            wanted.append(name)
    return wanted


def find_units(images: Sequence[FileEntry], others: Sequence[FileEntry],
               readable: Collection[str] = (), captures: Mapping[str, Capture] | None = None,
               *, raw_jpeg_duplicates: bool = False) -> CaptureUnits:
    """Pair every companion with its photo, folder by folder. `images`: what the scanner found
    (RAW files too, once they are decoded); `others`: the non-image companions it found beside
    them; `readable`: images that decoded (a lead should be one); `captures`: capture metadata
    where known. `raw_jpeg_duplicates`: RAW and still of one shot stay separate images (the
    person wants them compared as duplicates), and stem-named sidecars go with the RAW.
    A library with no companion file and no RAW image (most) has no units to find: it is not
    split into folders at all (500k photos: ~0.5 s)."""
    if not others and not any(_is_raw(entry.path) for entry in images):
        return CaptureUnits()
    folders: dict[str, tuple[list[Named], list[Named]]] = {}
    for entry in images:
        folder, name = _folder_and_name(entry.path)
        folders.setdefault(folder, ([], []))[0].append((name, entry))
    for entry in others:
        folder, name = _folder_and_name(entry.path)
        folders.setdefault(folder, ([], []))[1].append((name, entry))
    pairing = _Pairing(set(readable), captures or {}, raw_jpeg_duplicates)
    for folder_images, folder_others in folders.values():
        if folder_others or _has_raw(folder_images):  # else nothing to pair (most folders)
            pairing.folder(folder_images, folder_others)
    return pairing.result()


def _is_raw(path: str) -> bool:
    """Whether the path's extension is a RAW one (split_name's rule, on the whole path; the
    folder check runs only for the few that end like one)."""
    dot = path.rfind(".")
    return path[dot:].lower() in RAW_EXTENSIONS \
        and dot > max(path.rfind(os.sep), path.rfind(os.altsep or os.sep)) + 1


def _has_raw(images: list[Named]) -> bool:
    return any(split_name(name)[1] in RAW_EXTENSIONS for name, _ in images)


class _Pairing:
    """State of one find_units call, so each step stays a short method."""

    def __init__(self, readable: set[str], captures: Mapping[str, Capture],
                 raw_jpeg_duplicates: bool) -> None:
        self.readable = readable
        self.captures = captures
        self.separate_raw = raw_jpeg_duplicates
        self.members: dict[str, list[str]] = {}  # photo -> the files attached to it
        self.entries: dict[str, FileEntry] = {}
        self.bound: set[str] = set()
        self.stills: dict[str, list[FileEntry]] = {}  # of the folder being paired, by stem
        self.raws: dict[str, list[FileEntry]] = {}

    def folder(self, images: list[Named], others: list[Named]) -> None:
        """Pair the files of one folder."""
        by_name: dict[str, list[FileEntry]] = {}
        self.stills, self.raws = {}, {}
        raws: list[FileEntry] = []
        for name, entry in images:
            stem, ext = split_name(name)
            by_name.setdefault(name.lower(), []).append(entry)
            if ext in RAW_EXTENSIONS:
                raws.append(entry)
                self.raws.setdefault(stem, []).append(entry)
            else:
                self.stills.setdefault(stem, []).append(entry)
        self._bind_raws(raws)
        anchors = [(entry, anchor(name)) for name, entry in others]
        raw_stems = set(self.raws) | {a.key for _, a in anchors if a and a.kind == RAW}
        for other, found in anchors:
            if found is None:
                continue
            photo = (_only(by_name.get(found.photo_name(by_name) or "", [])) if found.by_name
                     else self._stem_photo(found, found.key in raw_stems))
            if photo is not None and (found.kind != RAW or self._same_shot(other.path,
                                                                           photo.path)):
                self._attach(photo, other)

    def _bind_raws(self, raws: list[FileEntry]) -> None:
        """A decoded RAW beside its still: one unit, led by the still (unless kept apart)."""
        for raw in raws:
            still = _only(self.stills.get(split_name(os.path.basename(raw.path))[0], []))
            if not self.separate_raw and still and self._same_shot(raw.path, still.path):
                lead = self._lead(still, raw)
                self._attach(lead, raw if lead is still else still, bound=True)

    def _stem_photo(self, found: Anchor, has_raw: bool) -> FileEntry | None:
        """The one photo a stem-named file goes with: the still, else a lone RAW image."""
        if self.separate_raw and (found.kind == RAW or (found.kind == SIDECAR and has_raw)):
            return self._raw_side(found, self.raws.get(found.key, []))
        stills = self.stills.get(found.key, [])
        return _only(stills) or (None if stills else _only(self.raws.get(found.key, [])))

    @staticmethod
    def _raw_side(found: Anchor, raws: list[FileEntry]) -> FileEntry | None:
        """RAW and still kept apart: a RAW file is nobody's companion, and a stem-named sidecar
        of a shot with a RAW goes with the RAW image (editors write them for the RAW),
        or with nothing while RAW files are not images: never with the JPEG that may go."""
        return None if found.kind == RAW else _only(raws)

    def _same_shot(self, a: str, b: str) -> bool:
        """Capture times agree where both are known; names alone decide otherwise."""
        one, two = self.captures.get(a), self.captures.get(b)
        if one is None or two is None or one.taken_ns is None or two.taken_ns is None:
            return True
        return one.taken_ns == two.taken_ns

    def _lead(self, still: FileEntry, raw: FileEntry) -> FileEntry:
        """The still leads (its signals are the cheap, reliable ones) unless only the RAW
        decoded."""
        return raw if still.path not in self.readable and raw.path in self.readable else still

    def _attach(self, photo: FileEntry, companion: FileEntry, bound: bool = False) -> None:
        self.members.setdefault(photo.path, []).append(companion.path)
        self.entries[companion.path] = companion
        if bound:
            self.bound.add(companion.path)

    def result(self) -> CaptureUnits:
        # A bound image's own companions (a RAW's XMP) travel with its lead too.
        lead_of = {p: lead for lead, paths in self.members.items() for p in paths
                   if p in self.bound}
        companions: dict[str, set[str]] = {}
        for photo, paths in self.members.items():
            companions.setdefault(lead_of.get(photo, photo), set()).update(paths)
        return CaptureUnits({lead: tuple(sorted(paths)) for lead, paths in companions.items()},
                            frozenset(self.bound), self.entries)


def _folder_and_name(path: str) -> tuple[str, str]:
    """os.path.split without its cost (it runs for every photo of a library)."""
    cut = path.rfind(os.sep)
    if os.altsep:
        cut = max(cut, path.rfind(os.altsep))
    return path[:cut], path[cut + 1:]


def _only(entries: list[FileEntry]) -> FileEntry | None:
    return entries[0] if len(entries) == 1 else None
