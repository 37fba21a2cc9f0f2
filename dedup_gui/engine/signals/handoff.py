"""The signal stage's decoded pictures, handed to verification for the scan that decoded them.

Why: a cold scan's signal workers decode every new file in RGB for the embedding, and for most
files that decode is verification's own, pixel for pixel (imageio.load_image's `alike_side`,
the condition picture_facts.py uses). Verification then decoded the same files again moments
later: on bench_scan's camera library 87 pictures, ~140 decodes at ~22 ms, a third of its CPU.
So the workers return that decode, raw, with the file's signals, and the scan keeps it here,
in memory, for its own verification only (never in the cache file: a rescan decodes what it
verifies, as before).

Bounded: a hard byte budget, first come; a picture that does not fit is not kept and is
decoded again if verification needs it (a large library simply falls back to decoding). The
workers are asked only for the first pictures whose estimated sizes (from their files' sizes:
asked()) add up to TRAVEL budgets, so a library larger than the budget does not ship every
decode to the parent to be dropped there (and one beyond WORTH budgets is asked for none),
while a library of small pictures is asked for all (bench_scale's 128×96 JPEGs: 37 KB each,
where a fixed count of 256-px pictures asked 682 of 1,000). Raw bytes, not compressed:
zlib at level 1 packs photos 1.7× but costs 8–9 ms a picture, paid for every kept picture
(most are never verified), where the decode it would spare costs 22 ms (a 12-MP JPEG at 1/8)
or 8 ms (a 2-MP phone photo at 1/4); copying the raw pixels costs 0.1–0.2 ms.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from PIL import Image

BUDGET = 128 * 2**20  # bytes of pictures a scan keeps (issue 18: 2 GB for the whole tree)
TRAVEL = 4  # budgets' worth of (estimated) pictures the workers are asked to send at most
WORTH = 16  # budgets' worth of (estimated) pictures in all beyond which none are asked (asked)
# A picture's estimate: its file's size × PER_FILE_BYTE, at most LARGEST. Raw RGB is 6-15× a
# photo's JPEG (bench camera 12-MP: 2.2 MB -> 36 MB; phone: 0.42 -> 5.8 MB; bench_scale's
# 128×96: 4.4 -> 37 KB), and verification's decode is that or, drafted, far less.
PER_FILE_BYTE = 16
LARGEST = 2**20  # bytes: 4:3 at the largest short side verification decodes (511 × 681 RGB)


@dataclass(frozen=True, slots=True)
class Picture:
    """A decoded picture as raw pixels: what crosses from a worker to the parent and on to
    verification's workers (an Image pickles with its metadata; this is only the pixels)."""

    mode: str
    size: tuple[int, int]
    data: bytes

    @classmethod
    def of(cls, image: Image.Image) -> Picture:
        return cls(image.mode, image.size, image.tobytes())

    def image(self) -> Image.Image:
        """A new Image with these pixels (the caller may change it)."""
        return Image.frombytes(self.mode, self.size, self.data)


def asked(file_sizes: Sequence[int], budget: int) -> int:
    """How many of the files (in decoding order, by their sizes in bytes) are asked for
    their picture: those whose estimates add up to TRAVEL × `budget`; none when all of them
    are estimated at more than WORTH budgets. Then the budget keeps at most 1/WORTH of the
    pictures, a verified pair finds both of its own kept at most 1/WORTH² of the time, and the
    budget would sit on the scan's peak memory where the library is largest (a cold scan of
    bench_scale's 500k library: the parent alone peaked at 2.0 GB in the cosine search, with
    nothing handed over; issue 18's bound is 2 GB for the whole process tree)."""
    estimates = [min(PER_FILE_BYTE * size, LARGEST) for size in file_sizes]
    if sum(estimates) > WORTH * budget:
        return 0
    left = TRAVEL * budget
    for count, estimate in enumerate(estimates):
        left -= estimate
        if left < 0:
            return count
    return len(file_sizes)


class Pictures(Mapping[str, Picture]):
    """path -> Picture, within `budget` bytes (first come). Copies of one file (the same
    bytes, decoded once) share one Picture and count once."""

    def __init__(self, budget: int = 0) -> None:
        self.budget = budget
        self.used = 0
        self._pictures: dict[str, Picture] = {}

    def offer(self, paths: Iterable[str], picture: Picture) -> bool:
        """Keep `picture` for `paths` if it fits the budget; whether it was kept."""
        if self.used + len(picture.data) > self.budget:
            return False
        self.used += len(picture.data)
        for path in paths:
            self._pictures[path] = picture
        return True

    def release(self) -> None:
        """Forget every picture (the scan's verification is over); keeps nothing new."""
        self._pictures.clear()
        self.used, self.budget = 0, 0

    def __getitem__(self, path: str) -> Picture:
        return self._pictures[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._pictures)

    def __len__(self) -> int:
        return len(self._pictures)
