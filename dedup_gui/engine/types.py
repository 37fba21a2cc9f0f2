"""Frozen value types that flow one way through the engine: files -> signals -> pairs -> groups."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Protocol, TypeVar

from dedup_gui.engine.tiers import IDENTICAL, TIERS

HASH_KINDS = ("phash", "dhash", "ahash", "whash")
T = TypeVar("T")


def _pickled_by_position(cls: type[T]) -> type[T]:
    """Pickle as `cls(*fields)`: a slotted dataclass otherwise pickles through its Python
    __getstate__/__setstate__, which at 50,000 groups (300,000 objects) took 2.5 s to read back
    and 1.9 s to write (the saved session, a scan's results from the engine process); this
    halves both. Pickles written the old way still read back (__setstate__ is kept)."""
    values = attrgetter(*(f.name for f in fields(cls)))  # several names: a tuple, in C

    def __reduce__(self: T) -> tuple[type[T], tuple]:
        return cls, values(self)

    cls.__reduce__ = __reduce__  # type: ignore[method-assign, assignment]
    return cls


def positional_maker(cls: type[T]) -> Callable[..., T]:
    """A constructor for the frozen slotted dataclass `cls` taking every field, in order: the
    same object as cls(*values), made without its __init__, which sets each slot through
    object.__setattr__ (the way round the frozen guard): setting them through the slots' own
    descriptors costs about half (GroupFile: ~1.0 -> ~0.5 µs). For the per-file objects a
    rescan makes 500k of each. Refused for a class whose __init__ does more than set its
    fields (a __post_init__, a field outside __init__, slots not exactly its fields)."""
    known = fields(cls)  # type: ignore[arg-type]  # a TypeError for a class not a dataclass
    names = tuple(f.name for f in known)
    if hasattr(cls, "__post_init__") or not all(f.init for f in known) \
            or getattr(cls, "__slots__", None) != names or {"made", "new", "cls"} & set(names):
        raise TypeError(f"{cls.__name__} is not a slotted dataclass of plain fields")
    arguments = ", ".join(names)
    body = "".join(f"    set_{name}(made, {name})\n" for name in names)
    source = f"def make({arguments}):\n    made = new(cls)\n{body}    return made\n"
    scope = {"new": object.__new__, "cls": cls,
             **{f"set_{name}": cls.__dict__[name].__set__ for name in names}}
    exec(source, scope)  # as dataclasses makes __init__: names are the fields' identifiers
    return scope["make"]


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One image file found on disk. Hard links are one file: discovery keeps one path per
    (st_dev, st_ino) and needs the pair only while it walks (kept here, it was ~140 bytes a
    file that nothing read: 70 MB of a 500k library)."""

    path: str
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class Issue:
    """A file or folder the engine could not use, with a reason a person can act on."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class ImageSignals:
    """What decoding one image yields: its facts and its perceptual hashes (as unsigned ints)."""

    width: int
    height: int
    format: str
    hashes: dict[str, int] = field(default_factory=dict)


@_pickled_by_position
@dataclass(frozen=True, slots=True)
class Capture:
    """When and with what a photo was taken (EXIF, else Google Takeout's JSON beside it). Read
    once during a scan and cached; the date rule, the same-shot check and the review use it.
    Every field may be missing: missing metadata decides nothing."""

    taken_ns: int | None = None  # the capture instant (SubSecTimeOriginal included), Unix ns
    has_offset: bool = False  # OffsetTimeOriginal was given; else taken_ns is local wall time
    make: str = ""
    model: str = ""
    serial: str = ""  # BodySerialNumber
    unique_id: str = ""  # ImageUniqueID
    source: str = ""  # "exif", "takeout" or "" (nothing known)

    @property
    def camera(self) -> str:
        """'Make Model' as people read it ('' when unknown). Canon and Nikon repeat the make in
        the model ("Canon" + "Canon EOS 80D", "NIKON CORPORATION" + "NIKON D850"): the model
        alone then, not "Canon Canon EOS 80D" (a real-window check)."""
        make, model = self.make.strip(), self.model.strip()
        brand = make.split()[0].lower() if make else ""
        if brand and model.lower().startswith(brand):
            return model
        return " ".join(part for part in (make, model) if part)


@_pickled_by_position
@dataclass(frozen=True, slots=True)
class Pair:
    """Two files that matched, and why: the tier (engine/tiers.py), a sentence for people, the
    hash distance (0 for identical bytes) and the embedding cosine when embeddings were used."""

    a: str
    b: str
    reason: str
    distance: int
    tier: str = "resaved"
    cosine: float | None = None


def closest_pair(pairs: Iterable[Pair]) -> Pair | None:
    """The pair that says most plainly how its files match: a byte-identical one first (an
    edit at hash distance 0 read before a file's own byte copy), then the nearest hashes."""
    return min(pairs, key=lambda p: (p.tier != IDENTICAL, p.distance, p.a, p.b), default=None)


@_pickled_by_position
@dataclass(frozen=True, slots=True)
class GroupFile:
    """One file in a group with the facts people use to choose a keeper."""

    path: str
    size: int
    mtime_ns: int
    width: int
    height: int
    format: str
    capture: Capture | None = None  # when and with what it was taken, where known
    companions: tuple[str, ...] = ()  # the other files of its capture unit (RAW, Live video, XMP)


@_pickled_by_position
@dataclass(frozen=True, slots=True)
class Group:
    """Files that are copies of each other. Files are sorted by path; pairs say why they matched."""

    files: tuple[GroupFile, ...]
    pairs: tuple[Pair, ...]

    @property
    def tier(self) -> str:
        """The group's weakest link: a group with one edited copy is an 'edited' group."""
        return max((p.tier for p in self.pairs), key=TIERS.index, default=IDENTICAL)

    def largest_kept(self) -> frozenset[str]:
        """The removals when no keeper proposal exists: every file but the largest."""
        largest = max(self.files, key=lambda f: (f.size, f.path), default=None)
        return frozenset(f.path for f in self.files if f is not largest)


def reclaimable_bytes(groups: Iterable[Group], removals: Iterable[Collection[str]]) -> int:
    """Space freed: the one definition the app, the report and the JSON quote (README).

    The bytes of the files marked Remove (the keeper proposal until a person changes it), each
    file once even when two groups hold it; a file marked in a group but not in it counts
    nothing. Companions that travel with a photo (RAW, Live video, sidecar) are not counted:
    the scan does not read their sizes, and the Trash confirmation lists them apart. Callers
    pass only the groups that count (the app leaves out dismissed groups and moved files)."""
    sizes: dict[str, int] = {}
    for group, remove in zip(groups, removals, strict=True):
        sizes |= {f.path: f.size for f in group.files if f.path in remove}
    return marked_bytes(sizes.keys(), sizes)


def marked_bytes(marked: AbstractSet[str], sizes: Mapping[str, int]) -> int:
    """reclaimable_bytes' core, for callers that keep `sizes` (path -> bytes of the grouped
    files) and marks that are always files of their group (the app's review): a set, so each
    marked file counts once."""
    return sum(map(sizes.__getitem__, marked))


@dataclass(frozen=True, slots=True)
class Series:
    """Shots of one scene taken moments apart (a burst, a second try): alike, and verified to be
    different exposures, so never duplicates. `best` is the suggested shot to keep (sharpness,
    exposure, resolution: grouping/series.py), applied only when a person asks. `bracket`:
    the words for an exposure bracket ("exposure bracket, -2 to +2 EV": grouping/brackets.py),
    whose frames are for merging and never marked by "keep the best"; '' for any other."""

    files: tuple[GroupFile, ...]
    pairs: tuple[Pair, ...]
    best: str
    best_reason: str
    bracket: str = ""


@dataclass(frozen=True, slots=True)
class ScanStats:
    """Counts that tell what a scan did; tests use `decoded` to prove the cache works."""

    files: int = 0
    decoded: int = 0
    cached: int = 0
    content_hashed: int = 0
    failed: int = 0
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Everything one scan produced."""

    groups: tuple[Group, ...]
    issues: tuple[Issue, ...]
    stats: ScanStats
    warnings: tuple[str, ...] = ()
    series: tuple[Series, ...] = ()  # similar shots, shown apart from the duplicate groups


class Stamped(Protocol):
    """Anything with a path, a size and an mtime: FileEntry and GroupFile both are."""

    @property
    def path(self) -> str: ...
    @property
    def size(self) -> int: ...
    @property
    def mtime_ns(self) -> int: ...


# cls(*every field) for the per-file objects of a scan (positional_maker: about half the cost)
make_file_entry = positional_maker(FileEntry)
make_image_signals = positional_maker(ImageSignals)
make_group_file = positional_maker(GroupFile)
