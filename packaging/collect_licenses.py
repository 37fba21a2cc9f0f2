"""Copy the licence texts of everything the bundle redistributes into BUNDLE/licenses.

    python packaging/collect_licenses.py BUNDLE

Why: the bundle ships Python packages and the native libraries inside their wheels (Qt, libheif,
LibRaw, onnxruntime, ...) under their own licences, several of which require their text to
travel with the binaries; a packager found none but two leftover ones. The runtime
dependencies are read from this project's installed metadata (requirements followed
recursively, extras left out), each one's licence files copied from its dist-info into
licenses/NAME/, and THIRD-PARTY.txt lists every one with its version, licence and home page,
saying where a wheel carries no licence file of its own.
"""

from __future__ import annotations

import importlib.metadata as metadata
import re
import shutil
import sys
from pathlib import Path

PROJECT = "dedup-gui"
LICENCE_FILE = re.compile(r"(LICEN[CS]E|COPYING|NOTICE|AUTHORS)", re.IGNORECASE)
ROOT = Path(__file__).resolve().parent.parent


def runtime_distributions(name: str = PROJECT) -> dict[str, metadata.Distribution]:
    """The project's distribution and everything it needs at run time, by normalised name."""
    found: dict[str, metadata.Distribution] = {}
    waiting = [name]
    while waiting:
        wanted = waiting.pop()
        key = re.sub(r"[-_.]+", "-", wanted).lower()
        if key in found:
            continue
        try:
            found[key] = metadata.distribution(wanted)
        except metadata.PackageNotFoundError:
            continue
        for requirement in found[key].requires or []:
            if "extra ==" not in requirement:
                waiting.append(re.split(r"[ ;<>=!~\[(]", requirement, maxsplit=1)[0])
    return found


def licence_files(distribution: metadata.Distribution) -> list[tuple[Path, str]]:
    """The licence texts a distribution's metadata folder holds: each file, and its path
    inside that folder (numpy's vendored libraries each have a LICENSE of their own)."""
    found = []
    for file in distribution.files or []:
        parts = Path(str(file)).parts
        if parts and parts[0].endswith(".dist-info") and LICENCE_FILE.search(file.name):
            inside = Path(*parts[1:])
            if inside.parts[:1] == ("licenses",) and len(inside.parts) > 1:
                inside = Path(*inside.parts[1:])
            found.append((Path(str(distribution.locate_file(file))), inside.as_posix()))
    return found


def collect(bundle: Path) -> list[str]:
    """Write bundle/licenses; the lines of its THIRD-PARTY.txt."""
    target = bundle / "licenses"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    shutil.copy2(ROOT / "LICENSE", bundle / "LICENSE")
    lines = [f"{PROJECT} (MIT, LICENSE) redistributes these packages, each under its own "
             "licence; their texts are in the folders named here.", ""]
    for key, distribution in sorted(runtime_distributions().items()):
        if key == PROJECT:
            continue
        meta = distribution.metadata
        licence = meta.get("License-Expression") or (meta.get("License") or "").split("\n")[0]
        copied = []
        for source, inside in licence_files(distribution):
            if source.is_file():
                copy = target / key / inside
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, copy)
                copied.append(f"licenses/{key}/{inside}")
        where = ", ".join(copied) or "no licence file in its wheel: see its home page"
        lines.append(f"{meta['Name']} {distribution.version}: {licence or 'see home page'}; "
                     f"{meta.get('Home-page') or _project_url(meta)}; {where}")
    (target / "THIRD-PARTY.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lines


def _project_url(meta: metadata.PackageMetadata) -> str:
    urls = meta.get_all("Project-URL") or []
    return urls[0].split(",", 1)[-1].strip() if urls else "(no home page given)"


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    print(f"{len(collect(Path(sys.argv[1]))) - 2} licences collected")
