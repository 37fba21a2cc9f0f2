"""The steps Undo and Redo walk through (trash_flow.py keeps two stacks of them): what was done,
to which files or group, and how the Edit menu names it."""

from __future__ import annotations

from dataclasses import dataclass, field

TEXT = {"trash": "Move to Trash", "folder": "Move to folder", "dismiss": "Not duplicates",
        "pair": "Not duplicates"}


@dataclass
class Done:
    """One undoable (or redoable) step: a batch moved to the Trash or to a folder (`paths`
    moved), a dismissed group, a Mark helper on many groups (`marks`: each group's Remove
    marks before and after), or (Redo only: pair_decisions.py keeps its own Undo) a pair
    of `group` said not to be duplicates (`paths`: the two files)."""

    kind: str  # "trash" | "folder" | "dismiss" | "pair" | "marks" | "series_marks"
    paths: set[str] = field(default_factory=set)
    group: int = -1
    generation: int = 0  # ReviewState.generation when it was done
    folder: str = ""  # where a "folder" batch went
    # path -> (size, mtime_ns) of each file of a batch when it moved: Redo refuses what changed
    stamps: dict[str, tuple[int, int]] = field(default_factory=dict)
    # "marks": group -> (Remove marks before, after), and the helper's name ("Keep all");
    # "series_marks": the same per similar-shot series ("Keep the best of each series")
    marks: dict[int, tuple[set[str], set[str]]] = field(default_factory=dict)
    helper: str = ""

    @property
    def text(self) -> str:
        """'Move to Trash (24 files)', for "Undo Move to Trash (24 files)" and Redo: the menu
        said only "Undo Move to Trash", not how much it puts back (a real-window check)."""
        if self.kind == "marks" and self.group >= 0:
            return self.helper  # one mark set by hand: "Keep IMG_1.JPG"
        if self.kind == "marks":
            count = len(self.marks)
            return f"{self.helper} ({count} group{'' if count == 1 else 's'})"
        if self.kind == "series_marks":
            return f"{self.helper} ({len(self.marks)} series)"
        if self.kind in ("trash", "folder") and self.paths:
            count = len(self.paths)
            return f"{TEXT[self.kind]} ({count} file{'' if count == 1 else 's'})"
        return TEXT[self.kind]
