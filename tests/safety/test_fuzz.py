"""Fuzzing: thousands of mutated JPEG, PNG, GIF, WebP and TIFF files through the loader, the
hashers and the scan worker. Each must load (and hash) or fail with our per-file ImageLoadError;
nothing else may escape, no example may hang, and memory stays bounded.

Seeded and bounded: hypothesis runs derandomized (the same examples every run) with no example
database, and the default budget keeps this file well under a minute. For a long run by hand:
    DEDUP_GUI_FUZZ_EXAMPLES=20000 pytest tests/safety/test_fuzz.py
Hangs are caught two ways: an interval timer interrupts a slow example (Python-level loops), and
faulthandler ends the whole run with every thread's traceback if C code never returns.
"""

from __future__ import annotations

import contextlib
import faulthandler
import io
import os
import signal
import struct
import zlib
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PIL import Image

from dedup_gui.engine.signals.batch import Task, compute_batch
from dedup_gui.engine.signals.hashing import perceptual_hashes
from dedup_gui.engine.signals.imageio import ImageLoadError, load_image
from tests.images import photo
from tests.safety.bad_library import png_chunk

EXAMPLES = int(os.environ.get("DEDUP_GUI_FUZZ_EXAMPLES", "1200"))
EXAMPLE_SECONDS = 10.0  # one small file decodes in milliseconds, even on a busy machine
HARD_STOP_SECONDS = 600.0
PEAK_GROWTH_LIMIT = 512 << 20  # bytes one example may add to the process's peak memory

FUZZ = settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
WORKER_FUZZ = settings(FUZZ, max_examples=max(50, EXAMPLES // 4))


class ExampleTimeout(BaseException):
    """Not an Exception: the loader turns every Exception into ImageLoadError, not this one."""


def _encode(fmt: str, **params: object) -> bytes:
    buf = io.BytesIO()
    photo(31, (96, 72)).save(buf, fmt, **params)
    return buf.getvalue()


@cache
def seeds() -> dict[str, bytes]:
    """Small valid files, one per format and common variant."""
    return {"jpeg": _encode("JPEG", quality=85),
            "progressive": _encode("JPEG", quality=85, progressive=True),
            "png": _encode("PNG"),
            "gif": _encode("GIF"),
            "webp": _encode("WEBP", quality=80),
            "tiff": _encode("TIFF"),
            "tiff_lzw": _encode("TIFF", compression="tiff_lzw")}


# Hypothesis favours small numbers, which would aim most edits at the header; a fixed
# permutation of the index spreads them over the file and still shrinks to simple examples.
INDEX = st.integers(0, (1 << 16) - 1).map(lambda i: (i * 40503 + 12345) % (1 << 16))
INTERESTING = st.sampled_from([b"\x00", b"\xff", b"\x00\x00", b"\xff\xff", b"\x7f\xff",
                               b"\x80\x00", b"\x00\x00\x00\x00", b"\xff\xff\xff\xff",
                               b"\x7f\xff\xff\xff", b"\x00\x01"])
EDITS = st.lists(st.one_of(
    st.tuples(st.just("flip"), INDEX, st.integers(1, 255)),
    st.tuples(st.just("poke"), INDEX, INTERESTING),
    st.tuples(st.just("insert"), INDEX, st.binary(min_size=1, max_size=32)),
    st.tuples(st.just("delete"), INDEX, st.integers(1, 256)),
    st.tuples(st.just("truncate"), INDEX, st.none()),
), min_size=1, max_size=8)


def mutate(data: bytes, edits: list[tuple[str, int, object]]) -> bytes:
    """Apply flips (xor a byte), pokes (overwrite with a boundary value), inserts, deletes and
    truncations; positions wrap around the current length."""
    out = bytearray(data)
    for kind, index, arg in edits:
        at = index % max(1, len(out))
        if kind == "flip" and out:
            out[at] ^= arg  # type: ignore[operator]
        elif kind == "poke":
            out[at:at + len(arg)] = arg  # type: ignore[arg-type]
        elif kind == "insert":
            out[at:at] = arg  # type: ignore[index]
        elif kind == "delete":
            del out[at:at + arg]  # type: ignore[operator]
        elif kind == "truncate":
            del out[at:]
    return bytes(out)


MUTANTS = st.builds(lambda name, edits: (name, mutate(seeds()[name], edits)),
                    st.sampled_from(sorted(seeds())), EDITS)


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def on_alarm(_signum: int, _frame: object) -> None:
        raise ExampleTimeout(f"an example ran longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _status(field: str) -> int:
    """A memory figure of this process from /proc, in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise LookupError(field)


def _reset_peak() -> bool:
    """Reset the kernel's peak-RSS counter (VmHWM) so it measures one example; False where not
    allowed, and then only the current RSS is compared."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


@contextlib.contextmanager
def bounded(seconds: float = EXAMPLE_SECONDS) -> Iterator[None]:
    """No hang (interval timer) and no large peak allocation (VmHWM) within the block."""
    before = _status("VmRSS")
    peak_field = "VmHWM" if _reset_peak() else "VmRSS"
    with time_limit(seconds):
        yield
    grew = _status(peak_field) - before
    assert grew < PEAK_GROWTH_LIMIT, f"one file raised peak memory by {grew >> 20} MiB"


@pytest.fixture(autouse=True)
def hard_stop() -> Iterator[None]:
    """If C code hangs where the timer cannot interrupt it, fail loudly instead of forever."""
    faulthandler.dump_traceback_later(HARD_STOP_SECONDS, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
@FUZZ
@given(MUTANTS)
def test_the_loader_and_hashers_only_raise_our_error(mutant: tuple[str, bytes]) -> None:
    _name, data = mutant
    with bounded():
        for mode, side in (("L", 64), ("RGB", 224)):
            try:
                loaded = load_image(data, mode=mode, min_side=side)
            except ImageLoadError as error:
                assert error.reason and isinstance(error.reason, str)
                event(f"{mode}: {error.reason.split('(')[0].strip()}")
                continue
            event(f"{mode}: loaded")
            assert loaded.image.mode == mode and loaded.width > 0 and loaded.height > 0
            hashes = perceptual_hashes(loaded.image)
            assert all(0 <= value < 1 << 64 for value in hashes.values())


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
@WORKER_FUZZ
@given(MUTANTS, st.booleans())
def test_the_scan_worker_answers_every_mutated_file(tmp_path_factory: pytest.TempPathFactory,
                                                    mutant: tuple[str, bytes],
                                                    embedding: bool) -> None:
    name, data = mutant
    path = tmp_path_factory.getbasetemp() / f"fuzz.{name}"
    path.write_bytes(data)
    with bounded(EXAMPLE_SECONDS * 3):  # the first embedding loads the model
        (computed,) = compute_batch([Task(str(path), True, embedding)], 8)
    if computed.error is not None:
        assert computed.signals is None and computed.error
    else:
        assert computed.signals is not None and computed.signals.width > 0
        assert (computed.embedding is not None) == embedding


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize(("width", "height", "colour_type", "depth"), [
    (13000, 13000, 6, 8),  # RGBA, 169 MP: just under the pixel limit, 676 MB if allocated
    (13000, 13000, 0, 8),
    (7000, 7000, 2, 16),  # 16-bit RGB
])
def test_a_truncated_file_declaring_a_huge_size_costs_little_memory(
        width: int, height: int, colour_type: int, depth: int) -> None:
    """Under the limit a size is believed; the pixels must not all be allocated up front."""
    header = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0)
    data = (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header)
            + png_chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + png_chunk(b"IEND", b""))
    with bounded(), pytest.raises(ImageLoadError):
        load_image(data)


def test_mutations_really_change_the_files() -> None:
    """The strategy is not a no-op: each kind of edit changes the bytes it is given."""
    data = seeds()["png"]
    for edit in [("flip", 40, 1), ("poke", 16, b"\xff\xff"), ("insert", 30, b"xx"),
                 ("delete", 30, 4), ("truncate", 100, None)]:
        assert mutate(data, [edit]) != data
    with pytest.raises(ImageLoadError):
        load_image(mutate(data, [("truncate", 100, None)]))


def test_the_time_limit_interrupts_a_slow_example() -> None:
    with pytest.raises(ExampleTimeout), time_limit(0.05):
        while True:
            pass


def test_the_memory_bound_notices_a_big_allocation() -> None:
    if not Path("/proc/self/status").exists():
        pytest.skip("needs Linux /proc")
    with pytest.raises(AssertionError, match="peak memory"), bounded():
        block = bytearray(PEAK_GROWTH_LIMIT + (64 << 20))
        block[:: 4096] = b"\x01" * len(block[:: 4096])
    del block
    Image.new("L", (1, 1))
