"""User settings: a typed dataclass with a schema version, stored as JSON in the config folder.

Loading never fails. A missing file gives the defaults; a damaged one (not JSON, not an object) is
moved aside and the defaults are used; a field of the wrong type falls back to its default alone;
older files are migrated step by step; keys this version does not know (written by a newer one)
are kept and written back. Each repair leaves a sentence in `Settings.warnings` for the status bar.
Saving writes a temporary file and renames it over the old one, so a crash never leaves half a file.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from dedup_gui import paths

SCHEMA_VERSION = 2
SETTINGS_FILE = "settings.json"
# The keeper rule chain as keep_rules.Rule.as_dict() dicts, first rule decides first. Plain data
# here so loading settings imports no engine code (start-up stays fast).
DEFAULT_KEEP_RULES = ("most original", "highest resolution", "largest file", "oldest date",
                      "shortest path")
MOST_ORIGINAL = "most original"


def default_keep_rules() -> list[dict[str, Any]]:
    return [{"kind": kind, "formats": [], "text": ""} for kind in DEFAULT_KEEP_RULES]


@dataclass(slots=True)
class FolderSetting:
    """A folder (or single file) to scan; files under a protected one are never proposed."""

    path: str
    protected: bool = False


@dataclass(slots=True)
class Settings:
    version: int = SCHEMA_VERSION
    folders: list[FolderSetting] = field(default_factory=list)
    keep_rules: list[dict[str, Any]] = field(default_factory=default_keep_rules)
    hash_kind: str = "phash"
    threshold: int | None = None  # None: the engine's calibrated default
    include_hidden: bool = False
    embeddings: bool = True  # False: hashes only (faster; finds re-saved copies, not edits)
    similar_shots: bool = False  # also group "similar shot" (bursts, same scene)
    raw_jpeg_duplicates: bool = False  # RAW + JPEG of one shot are duplicates; keep the RAW
    window_geometry: str = ""  # QWidget.saveGeometry(), base64
    window_state: str = ""  # QMainWindow.saveState(), base64
    main_splitter: str = ""  # QSplitter.saveState() of the left column | review split, base64
    side_splitter: str = ""  # and of the folders | group list split
    picture_side: int = 212  # the review cards' thumbnail side in pixels (View ▸ Larger/Smaller)
    appearance: str = "system"  # "system" follows the desktop's colour scheme; "light", "dark"
    last_folder: str = ""  # where "Add folder…" and "Export…" dialogs open
    extra: dict[str, Any] = field(default_factory=dict)  # unknown keys, kept for newer versions
    warnings: list[str] = field(default_factory=list)  # what loading repaired; never saved

    @property
    def protected_folders(self) -> list[str]:
        return [f.path for f in self.folders if f.protected]


def settings_path() -> Path:
    return paths.config_dir() / SETTINGS_FILE


# -- migrations: each takes the dict of version N and returns version N + 1 -----------------
def _from_v0(data: dict[str, Any]) -> dict[str, Any]:
    """Version 0 (no "version" key) stored folders as plain path strings."""
    folders = data.get("folders", [])
    if isinstance(folders, list):
        data["folders"] = [{"path": f} if isinstance(f, str) else f for f in folders]
    return data


def _from_v1(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 added the "most original" keeper rule (issue 16) and puts it first in every
    saved chain: without it "highest resolution" keeps a padded or upscaled copy and proposes
    the camera original for the Trash. People who do not want it untick it in Preferences."""
    rules = data.get("keep_rules")
    if isinstance(rules, list) and not any(
            isinstance(r, dict) and r.get("kind") == MOST_ORIGINAL for r in rules):
        data["keep_rules"] = [{"kind": MOST_ORIGINAL, "formats": [], "text": ""}, *rules]
    return data


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: _from_v0, 1: _from_v1}


def load_settings(path: Path | None = None) -> Settings:
    """The saved settings, or the defaults; never raises for a bad or missing file."""
    path = path or settings_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as error:
        return Settings(warnings=[f"Settings could not be read ({error}); defaults are used."])
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
    except ValueError:
        return Settings(warnings=[_move_aside(path)])
    return _from_dict(data)


def _move_aside(path: Path) -> str:
    aside = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    try:
        path.rename(aside)
    except OSError:
        return f"The settings file {path} is damaged; defaults are used."
    return f"The settings file was damaged; it was moved to {aside} and defaults are used."


def _from_dict(data: dict[str, Any]) -> Settings:
    version = data.get("version", 0)
    if not isinstance(version, int) or version < 0:
        version = 0
    while version in MIGRATIONS and version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    settings = Settings()
    known = {f.name for f in fields(Settings)} - {"version", "extra", "warnings"}
    bad = [name for name in sorted(known & data.keys()) if not _apply(settings, name, data[name])]
    if bad:
        settings.warnings.append(f"Some settings were invalid and reset: {', '.join(bad)}.")
    settings.extra = {k: v for k, v in data.items() if k not in known | {"version", "extra"}}
    return settings


def _apply(settings: Settings, name: str, value: Any) -> bool:
    """Set one field if `value` has the right shape; leave the default and say False if not."""
    parsed = _parse_folders(value) if name == "folders" else value
    default = getattr(settings, name)
    if name == "threshold":
        ok = value is None or (isinstance(value, int) and not isinstance(value, bool))
    elif name == "keep_rules":
        ok = isinstance(value, list) and all(
            isinstance(v, dict) and isinstance(v.get("kind"), str) for v in value)
    elif name == "folders":
        ok = parsed is not None
    else:
        ok = type(value) is type(default)
    if ok:
        setattr(settings, name, parsed)
    return ok


def _parse_folders(value: Any) -> list[FolderSetting] | None:
    if not isinstance(value, list):
        return None
    result = []
    for item in value:
        if not (isinstance(item, dict) and isinstance(item.get("path"), str)):
            return None
        result.append(FolderSetting(item["path"], bool(item.get("protected", False))))
    return result


def to_dict(settings: Settings) -> dict[str, Any]:
    data = {**settings.extra, **asdict(settings)}
    data.pop("warnings")
    data.pop("extra")
    data["version"] = SCHEMA_VERSION
    return data


_SURROGATE = re.compile("[\ud800-\udfff]")


def to_json(settings: Settings) -> str:
    """UTF-8-safe JSON text. A folder whose name is not UTF-8 reaches Python with surrogate
    escapes, which cannot be written as UTF-8 (saving raised); they are written as JSON escapes
    ("caf\\udce9"), which json.loads turns back into the exact name. Only inside strings can
    such characters occur, so an escape is always where JSON allows one."""
    text = json.dumps(to_dict(settings), indent=1, ensure_ascii=False)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def save_settings(settings: Settings, path: Path | None = None) -> str | None:
    """Write atomically; returns None, or a sentence saying why the settings were not saved."""
    path = path or settings_path()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(to_json(settings) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        return f"Settings could not be saved to {path} ({error.strerror or error})."
    return None
