"""Which file to keep in each group: a chain of plain-language rules, protected folders first.

The chain is read like a person would: "keep the most original (provenance.py: not a screenshot,
pad, crop or re-save of another member); if tied, the highest resolution; then the largest file;
then the oldest; then the shortest path". Files are ranked by the tuple of their rule
keys (smaller is better), then by path, so the choice never depends on the order files were found.
Files under a protected folder are all kept and never proposed for removal; the chain's keeper
outside them is kept too unless it is a byte-identical copy of one (_kept_beside). Some files
are kept beside the keeper whatever their rank (kept_too.py), and a keeper in a recycle bin
gives way to a live copy (outside_bins.py). "Date": the date taken (taken_dates.py) or mtime.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from dedup_gui.engine.actions.identical import identical_to
from dedup_gui.engine.actions.keeper_reason import earlier_rules, keeper_sentence, original_left
from dedup_gui.engine.actions.kept_too import kept_too
from dedup_gui.engine.actions.origin_path import origin_penalty
from dedup_gui.engine.actions.outside_bins import outside_bins
from dedup_gui.engine.actions.protected import is_protected
from dedup_gui.engine.actions.provenance import Provenance
from dedup_gui.engine.actions.provenance_marks import (
    relabel_for_keeper,
)
from dedup_gui.engine.actions.shot_groups import SHOTS_KEPT, kept_per_photo
from dedup_gui.engine.signals.raw import RAW_FORMATS, RAW_WORD
from dedup_gui.engine.types import Group, GroupFile

# Names people type for a format -> the names the loader reports.
FORMAT_ALIASES = {"JPG": "JPEG", "HEIC": "HEIF", "TIF": "TIFF", "JP2": "JPEG2000"}


class RuleKind(StrEnum):
    """One way to prefer a file; the value is the name shown to people."""

    MOST_ORIGINAL = "most original"
    HIGHEST_RESOLUTION = "highest resolution"
    LARGEST_FILE = "largest file"
    OLDEST_DATE = "oldest date"
    NEWEST_DATE = "newest date"
    SHORTEST_PATH = "shortest path"
    PREFERRED_FORMAT = "preferred format"
    PATH_CONTAINS = "path contains"
    PATH_AVOIDS = "path does not contain"


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule of the chain. `formats` (best first) is for PREFERRED_FORMAT; `text` (matched
    case-insensitively anywhere in the path) is for PATH_CONTAINS / PATH_AVOIDS."""

    kind: RuleKind
    formats: tuple[str, ...] = ()
    text: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", RuleKind(self.kind))
        object.__setattr__(self, "formats", tuple(normalise_format(f) for f in self.formats))
        if self.kind is RuleKind.PREFERRED_FORMAT and not self.formats:
            raise ValueError("the preferred-format rule needs at least one format")
        if self.kind in (RuleKind.PATH_CONTAINS, RuleKind.PATH_AVOIDS) and not self.text:
            raise ValueError(f"the '{self.kind}' rule needs some text to look for")

    @property
    def label(self) -> str:
        """What a settings list or a tooltip shows, e.g. 'Preferred format: HEIF, PNG, JPEG'."""
        if self.kind is RuleKind.PREFERRED_FORMAT:
            return f"Preferred format: {', '.join(self.formats)}"
        if self.kind in (RuleKind.PATH_CONTAINS, RuleKind.PATH_AVOIDS):
            return f"{self.kind.value.capitalize()} “{self.text}”"
        return self.kind.value.capitalize()

    def key(self, file: GroupFile, date_ns: int, origin: int = 0) -> int:
        """How good `file` is by this rule: smaller is better. `origin` is the file's
        provenance score (provenance.py): how much evidence says it was derived."""
        match self.kind:
            case RuleKind.MOST_ORIGINAL:
                return origin
            case RuleKind.HIGHEST_RESOLUTION:
                return -(file.width * file.height)
            case RuleKind.LARGEST_FILE:
                return -file.size
            case RuleKind.OLDEST_DATE:
                return date_ns
            case RuleKind.NEWEST_DATE:
                return -date_ns
            case RuleKind.SHORTEST_PATH:
                return len(file.path)
            case RuleKind.PREFERRED_FORMAT:
                return _format_rank(file, self.formats)
            case RuleKind.PATH_CONTAINS:
                return 0 if self.text.casefold() in file.path.casefold() else 1
            case RuleKind.PATH_AVOIDS:
                return 1 if self.text.casefold() in file.path.casefold() else 0

    def as_dict(self) -> dict:
        """A JSON-ready form for the settings file."""
        return {"kind": self.kind.value, "formats": list(self.formats), "text": self.text}

    @classmethod
    def from_dict(cls, data: Mapping) -> Rule:
        return cls(RuleKind(data["kind"]), tuple(data.get("formats", ())), data.get("text", ""))


PROTECTED_REASON = "in a protected folder"  # every file kept is protected

DEFAULT_CHAIN: tuple[Rule, ...] = (
    Rule(RuleKind.MOST_ORIGINAL), Rule(RuleKind.HIGHEST_RESOLUTION), Rule(RuleKind.LARGEST_FILE),
    Rule(RuleKind.OLDEST_DATE), Rule(RuleKind.SHORTEST_PATH),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Proposal:
    """What to keep and remove in one group. `keep[0]` is the keeper; more than one file is kept
    when files are protected (kept beside the rules' choice), or when the group holds other
    shots (shot_groups.py: the best file of each photo). `reason`: why, in plain words."""

    keep: tuple[str, ...]
    remove: tuple[str, ...]
    protected: tuple[str, ...]
    reason: str

    @property
    def chosen(self) -> tuple[str, ...]:
        """The files the rules kept, less protected ones kept beside them (all when only
        protection decided): what the others' labels are read against."""
        return tuple(p for p in self.keep if p not in self.protected) or self.keep


def normalise_format(name: str) -> str:
    name = name.strip().lstrip(".").upper()
    return FORMAT_ALIASES.get(name, name)


def _format_rank(file: GroupFile, formats: tuple[str, ...]) -> int:
    """Position in the preferred list (unknown formats after all listed ones); an unreadable
    file (no format) is judged by its extension. "RAW" stands for every RAW kind (DNG, CR2 ...),
    unless the kind is listed itself."""
    name = file.format or os.path.splitext(file.path)[1]
    name = normalise_format(name) if name else ""
    if name not in formats and name in RAW_FORMATS:
        name = RAW_WORD
    return formats.index(name) if name in formats else len(formats)


def rank(files: Sequence[GroupFile], chain: Sequence[Rule],
         dates: Mapping[str, int] | None = None,
         provenance: Mapping[str, Provenance] | None = None) -> list[GroupFile]:
    """`files` best first by the chain, ties broken by path."""
    return sorted(files, key=lambda f: (_keys(f, chain, dates, provenance), f.path))


def origin_score(file: GroupFile, provenance: Mapping[str, Provenance] | None) -> int:
    """The file's provenance score; without facts only its name and folder speak (weakly)."""
    known = (provenance or {}).get(file.path)
    return known.score if known is not None else origin_penalty(file)


def _keys(file: GroupFile, chain: Sequence[Rule], dates: Mapping[str, int] | None,
          provenance: Mapping[str, Provenance] | None = None) -> tuple[int, ...]:
    date = (dates or {}).get(file.path, file.mtime_ns)
    origin = origin_score(file, provenance)
    return tuple(rule.key(file, date, origin) for rule in chain)


def _why(group: Group, ranked: list[GroupFile], chain: Sequence[Rule],
         dates: Mapping[str, int] | None,
         provenance: Mapping[str, Provenance] | None = None,
         kept: Collection[str] = ()) -> str:
    """The first rule that set the keeper apart, in words (not naming `kept`: kept_too.py)."""
    if len(ranked) < 2:
        return "the only file"
    best = _keys(ranked[0], chain, dates, provenance)
    runner_up = _keys(ranked[1], chain, dates, provenance)
    deciding = next((rule for rule, x, y in zip(chain, best, runner_up, strict=True) if x != y),
                    None)
    if deciding is not None and deciding.kind is RuleKind.MOST_ORIGINAL and provenance:
        relative = relabel_for_keeper(group, provenance, [ranked[0].path])
        return keeper_sentence(ranked[0].path,
                               [f.path for f in ranked[1:] if f.path not in kept], relative)
    why = deciding.label.lower() if deciding else "all rules tie; first by path"
    if deciding is not None:
        index = chain.index(deciding)
        beaten = [(next(rule.kind for rule, x, y in zip(chain, best, keys, strict=True)
                        if x != y), f.path)
                  for f, keys in ((f, _keys(f, chain, dates, provenance)) for f in ranked[1:])
                  if keys[index] < best[index]]
        why = earlier_rules(beaten, ranked[0].path, provenance) + why
    return why + original_left(group, ranked[0], provenance)


def propose(group: Group, chain: Sequence[Rule] = DEFAULT_CHAIN,
            protected_folders: Iterable[str] = (),
            dates: Mapping[str, int] | None = None,
            provenance: Mapping[str, Provenance] | None = None) -> Proposal:
    """The keeper(s) of `group` and the files proposed for removal (sorted by path).
    `provenance` (path -> Provenance, from provenance.assess) feeds the "most original" rule."""
    folders = tuple(protected_folders)
    protected = [f for f in group.files if is_protected(f.path, folders)]
    ranked = rank(group.files, chain, dates, provenance)
    shots = kept_per_photo(group, ranked)  # other shots are never proposed for the Trash
    keep, also = kept_too(group, ranked, shots, provenance)
    reason = (_why(group, ranked, chain, dates, provenance, {f.path for f in keep})
              if len(shots) == 1 else SHOTS_KEPT) + also
    keep, reason = outside_bins(group, ranked, keep, reason)
    if protected:
        held = rank(protected, chain, dates, provenance)
        keep = _kept_beside(group, keep, held) + held
        reason = reason if keep[0] not in held else PROTECTED_REASON
    kept = {f.path for f in keep}
    remove = sorted(f.path for f in group.files if f.path not in kept)
    return Proposal(tuple(f.path for f in keep), tuple(remove),
                    tuple(sorted(f.path for f in protected)), reason)


def _kept_beside(group: Group, chosen: Sequence[GroupFile],
                 held: Sequence[GroupFile]) -> list[GroupFile]:
    """The chain's keepers that protection must not cost: protected files are kept anyway, and
    an original (or another shot of the group) outside the protected folders is kept beside
    them, unless it is a byte-identical copy of a protected file. Why: protecting a messenger
    folder made its small re-saves the only keepers and proposed the camera originals for the
    Trash (a real-window check), while an exact copy outside a protected archive is still what
    protecting the archive is for."""
    held_paths = {f.path for f in held}
    same = identical_to(group, held_paths)
    return [f for f in chosen if f.path not in held_paths and f.path not in same]


def propose_all(groups: Iterable[Group], chain: Sequence[Rule] = DEFAULT_CHAIN,
                protected_folders: Iterable[str] = (),
                dates: Mapping[str, int] | None = None,
                provenance: Mapping[str, Provenance] | None = None) -> list[Proposal]:
    folders = tuple(protected_folders)
    return [propose(group, chain, folders, dates, provenance) for group in groups]


def removal_marks(proposals: Iterable[Proposal]) -> set[str]:
    """The paths the proposals mark for removal: the starting marks a review screen shows."""
    return {path for proposal in proposals for path in proposal.remove}
