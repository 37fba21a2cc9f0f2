"""The compare view's alignment, computed on a pool thread: where the second picture lies on
the first (engine/grouping/alignment.py) and their difference heat map (difference.py).

Why a thread: decoding two photos and aligning them takes 0.1–0.5 s; the dialog opens at once
side by side and lines the pictures up when the answer comes.
"""

from __future__ import annotations

from collections import deque

from PIL import Image
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QImage, QTransform

from dedup_gui.engine.grouping.alignment import Alignment, align_images
from dedup_gui.engine.grouping.difference import difference
from dedup_gui.engine.signals.imageio import ImageLoadError, load_image
from dedup_gui.engine.types import GroupFile

DECODE_SIDE = 720  # the difference picture's short side at least (the view zooms it smoothly)


class AlignSignals(QObject):
    aligned = Signal(object, object)  # Alignment, QImage (the difference, in a's frame)
    failed = Signal(str)


class AlignTask(QRunnable):
    """Aligns b onto a once; the answer arrives on the main thread through `signals`."""

    def __init__(self, a: GroupFile, b: GroupFile) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python owns it
        self.a, self.b = a, b
        self.signals = AlignSignals()

    def run(self) -> None:
        try:
            found, image = self._compute()
        except (ImageLoadError, OSError) as error:
            self.signals.failed.emit(str(error))
        except Exception as error:  # a pool thread: say it, never lose it
            self.signals.failed.emit(f"{type(error).__name__}: {error}")
        else:
            self.signals.aligned.emit(found, image)

    def _compute(self) -> tuple[Alignment, QImage]:
        la = load_image(self.a.path, mode="RGB", min_side=DECODE_SIDE)
        lb = load_image(self.b.path, mode="RGB", min_side=DECODE_SIDE)
        found = align_images(la.image, lb.image, (la.width, la.height), (lb.width, lb.height))
        heat = difference(la.image, lb.image, found, (la.width, la.height))
        image = QImage(heat.tobytes(), heat.width, heat.height, 3 * heat.width,
                       QImage.Format.Format_RGB888).copy()  # own the bytes
        return found, image


_RECENT: deque[AlignTask] = deque(maxlen=16)  # alive while a pool thread may still run them


TURNS = {Image.Transpose.FLIP_LEFT_RIGHT: "mirrored", Image.Transpose.FLIP_TOP_BOTTOM:
         "flipped upside down", Image.Transpose.ROTATE_90: "turned a quarter left",
         Image.Transpose.ROTATE_180: "turned upside down",
         Image.Transpose.ROTATE_270: "turned a quarter right",
         Image.Transpose.TRANSPOSE: "turned and mirrored",
         Image.Transpose.TRANSVERSE: "turned and mirrored"}


def describe(found: Alignment) -> str:
    """'Lined up: the right picture drawn at 44 % of its size, mirrored. ' (or nothing)."""
    if not found.aligned:
        return ""
    turn = f", {TURNS[found.transpose]}" if found.transpose in TURNS else ""
    scale = f"{found.scale_x * 100:.0f} %"
    return f"Lined up: the right picture drawn at {scale} of its size{turn}. "


def start(task: AlignTask) -> None:
    """Run `task` on the global pool; it stays referenced after its dialog has closed."""
    _RECENT.append(task)
    QThreadPool.globalInstance().start(task)


def full_size(width: float, height: float, file: GroupFile) -> QTransform:
    """A picture drawn at `width` × `height` px (a thumbnail) -> the file's full pixels."""
    return QTransform.fromScale((file.width or width) / max(1.0, width),
                                (file.height or height) / max(1.0, height))


def b_on_a(found: Alignment | None, a: GroupFile, b: GroupFile) -> QTransform:
    """b's full pixels -> a's full pixels: the alignment, or before it is known (or when none
    was found) b scaled to a's width, side by side as before."""
    if found is not None and found.aligned:
        return QTransform(*found.affine())
    k = (a.width or 1) / max(1, b.width or 1)
    return QTransform.fromScale(k, k)
