"""Right before a move: does a small file still hold what the scan saw?

Size and mtime catch almost every change, but not a file replaced by one of the same size whose
mtime was carried over (`cp -p`, rsync -t, a sync tool restoring a conflict copy). The scan left
a fingerprint of each file in the cache, keyed by (path, size, mtime): the content hash of files
whose size collided with another's (every exact copy has one), and the perceptual hashes of every
readable image. For files up to SMALL_FILE_BYTES (cheap to read again) the move re-computes that
fingerprint and refuses the file when it differs. Without a cache row (no cache, a read-only
one the scan could not write) there is nothing to compare, and size and mtime must do.

Perceptual hashes are compared with a small tolerance: the scan may have decoded the file at the
embedding size, which rounds slightly differently (worker.py); another picture differs in about
half its bits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.types import FileEntry, ImageSignals, Stamped

SMALL_FILE_BYTES = 1 << 20  # decoding one again costs ~5-20 ms; a 20 MP JPEG ~100 ms
SAME_PICTURE_BITS = 6  # per 64 bits, for pHash and dHash each
HASH_SIZES = (8, 16)
CONTENT_CHANGED = ("its content changed since the scan (same size and modification time, "
                   "different picture); nothing was done")
BYTES_CHANGED = ("its bytes changed since the scan (same size and modification time); "
                 "nothing was done")


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What the scan recorded about one file: its content digest, or its perceptual hashes."""

    digest: str | None = None
    hash_size: int = 8
    hashes: dict[str, int] | None = None


def scan_fingerprints(files: Iterable[Stamped], cache: Cache) -> dict[str, Fingerprint]:
    """Fingerprints the cache holds for the small `files`, as the scan saw them."""
    from dedup_gui.engine.signals.hashing import CONTENT_HASH_ALGO, hash_algo_key

    entries = [FileEntry(f.path, f.size, f.mtime_ns) for f in files
               if f.size <= SMALL_FILE_BYTES]
    found = {path: Fingerprint(digest=digest)
             for path, digest in cache.content_hashes(entries, CONTENT_HASH_ALGO).items()}
    for size in HASH_SIZES:
        rest = [e for e in entries if e.path not in found]
        for path, value in cache.signals(rest, hash_algo_key(size)).items():
            if isinstance(value, ImageSignals):
                found[path] = Fingerprint(hash_size=size, hashes=dict(value.hashes))
    return found


def content_changed(path: str, seen: Fingerprint) -> str | None:
    """Why the file at `path` no longer matches `seen`, or None when it still does."""
    from dedup_gui.engine.signals.hashing import content_hash
    from dedup_gui.engine.signals.imageio import ImageLoadError

    try:
        if seen.digest is not None:
            return None if content_hash(path) == seen.digest else BYTES_CHANGED
        return None if _same_picture(path, seen) else CONTENT_CHANGED
    except ImageLoadError as error:
        return f"it can no longer be read as an image ({error.reason}); nothing was done"
    except OSError as error:
        return f"it could not be re-checked ({error.strerror or error}); nothing was done"


def _same_picture(path: str, seen: Fingerprint) -> bool:
    from dedup_gui.engine.signals.hashing import perceptual_hashes, thumbnail_side
    from dedup_gui.engine.signals.imageio import load_image

    assert seen.hashes is not None
    loaded = load_image(path, mode="L", min_side=thumbnail_side(seen.hash_size))
    now = perceptual_hashes(loaded.image, seen.hash_size)
    allowed = SAME_PICTURE_BITS * seen.hash_size * seen.hash_size // 64
    return all((now[kind] ^ seen.hashes[kind]).bit_count() <= allowed
               for kind in ("phash", "dhash"))
