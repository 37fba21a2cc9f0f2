"""Files that travel with a photo, for tests: a Live Photo video made by ffmpeg, sidecars with
real content (XMP packet, iOS AAE plist, Takeout JSON), and RAW-named files (RAW files are not
decoded yet, so a RAW is a companion by its name; its bytes are a TIFF-like header)."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

import pytest

XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="{rating}"/>
</rdf:RDF></x:xmpmeta><?xpacket end="w"?>
"""
AAE = """<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict><key>adjustmentFormatIdentifier</key><string>com.apple.photo</string>
<key>adjustmentFormatVersion</key><string>1.{n}</string></dict></plist>
"""


@cache
def live_video() -> bytes:
    """A tiny valid QuickTime MOV (0.3 s, 64×48) written by ffmpeg, as a Live Photo's video."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed (apt-get install ffmpeg)")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "live.mov"
        subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                        "color=c=teal:s=64x48:d=0.3:r=10", "-c:v", "mpeg4", "-f", "mov",
                        str(out)], check=True, timeout=60)
        return out.read_bytes()


def xmp(rating: int) -> bytes:
    return XMP.format(rating=rating).encode()


def aae(n: int) -> bytes:
    return AAE.format(n=n).encode()


def takeout_json(name: str, taken: int) -> bytes:
    return json.dumps({"title": name, "photoTakenTime": {"timestamp": str(taken)}}).encode()


def raw_bytes(seed: int) -> bytes:
    """A RAW-named file's bytes: a TIFF header and filler (not decoded: a companion by name)."""
    return b"II*\x00" + bytes([seed % 256]) * 200


def companion_bytes(kind: str, seed: int, name: str) -> bytes:
    """Content for a companion of `kind` (the extension it gets, e.g. ".xmp")."""
    if kind == ".MOV":
        return live_video()
    if kind in (".xmp", ".JPG.xmp"):
        return xmp(seed % 6)
    if kind == ".AAE":
        return aae(seed)
    if kind == ".JPG.json":
        return takeout_json(name, 1_600_000_000 + seed)
    return raw_bytes(seed)
